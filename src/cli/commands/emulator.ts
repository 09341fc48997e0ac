import { runStandalone } from '../../emulator/standalone.ts';
import { stringOption } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { localDurations } from '../target.ts';
import { error, PocError } from '../../diagnostics/index.ts';

export const emulatorCommand: Command = {
  spec: {
    name: 'emulator',
    usage: 'poc emulator [--port N] [--state-dir DIR]',
    summary: 'Run the local AWS emulator (Personalize, S3, CloudFormation) until Ctrl-C, for any client: the AWS CLI, boto3, your scripts.',
    positionals: 0,
    options: {
      port: { type: 'string', value: 'N', help: 'Port on 127.0.0.1 (default 0: an ephemeral port, printed on start).' },
      'state-dir': { type: 'string', value: 'DIR', help: 'Where state persists across restarts (default .poc/emulator).' },
    },
    notes: 'Clients need only the printed URL and dummy credentials, e.g.\n  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --region us-east-1 --endpoint-url http://127.0.0.1:N personalize list-dataset-groups',
  },
  async run({ args, io }) {
    const rawPort = stringOption(args, 'port') ?? '0';
    const port = Number(rawPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new PocError(error('invalid-option-value', `--port must be an integer from 0 to 65535; got '${rawPort}'.`));
    }
    const durations = localDurations(io.env);
    const code = await runStandalone({
      port,
      stateDir: stringOption(args, 'state-dir') ?? '.poc/emulator',
      ...(durations === undefined ? {} : { durations }),
      stdout: (line: string) => io.out(line),
    });
    return code === 0 ? EXIT.ok : EXIT.error;
  },
};
