import { parse, type YAMLMap, type YAMLSeq } from 'yaml';
import type { CollectionTag, ScalarTag } from 'yaml';

/** CloudFormation's YAML short forms (`!Ref X`, `!Sub ...`) and the long form each stands for. */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
};

function tagsFor(short: string, long: string): (ScalarTag | CollectionTag)[] {
  const scalar: ScalarTag = {
    tag: `!${short}`,
    // `!GetAtt A.B` is the one short form whose scalar differs from its long form's argument.
    resolve: (value: string) => ({ [long]: short === 'GetAtt' ? value.split(/\.(.*)/s).slice(0, 2) : value }),
  };
  const seq: CollectionTag = { tag: `!${short}`, collection: 'seq', resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [long]: value.toJSON() }) };
  const map: CollectionTag = { tag: `!${short}`, collection: 'map', resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [long]: value.toJSON() }) };
  return [scalar, seq, map];
}

const CUSTOM_TAGS = Object.entries(SHORT_FORMS).flatMap(([short, long]) => tagsFor(short, long));

/** Parses a YAML template, turning short-form intrinsics into their JSON long forms. */
export function parseYamlTemplate(body: string): unknown {
  return parse(body, { customTags: CUSTOM_TAGS, uniqueKeys: true });
}
