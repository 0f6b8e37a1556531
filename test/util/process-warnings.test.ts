import { Writable } from 'node:stream';
import pino from 'pino';
import { captureProcessWarnings, isSdkNodeNotice, routeProcessWarnings } from '../../src/util/process-warnings.js';

const SDK_NOTICE =
  'NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\nversions published after the first week of January 2027\nwill require node >=22. You are running node v20.20.2.';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

describe('process warnings', () => {
  it("recognises the AWS SDK's Node-version notice, and only it", () => {
    expect(isSdkNodeNotice({ name: 'Warning', message: SDK_NOTICE })).toBe(true);
    expect(isSdkNodeNotice({ name: 'NodeVersionSupportWarning', message: 'x' })).toBe(true);
    expect(isSdkNodeNotice({ name: 'DeprecationWarning', message: 'Buffer() is deprecated' })).toBe(false);
  });

  it('logs the SDK notice at debug (absent at info) and other warnings at warn', async () => {
    captureProcessWarnings();
    const atInfo = capture('info');
    routeProcessWarnings(atInfo.logger);
    process.emit('warning', Object.assign(new Error(SDK_NOTICE), { name: 'Warning' }));
    process.emit('warning', Object.assign(new Error('Buffer() is deprecated'), { name: 'DeprecationWarning' }));
    expect(atInfo.lines.map((l) => [l.level, l.warning])).toEqual([[40, 'DeprecationWarning']]);

    const atDebug = capture('debug');
    routeProcessWarnings(atDebug.logger);
    process.emit('warning', Object.assign(new Error(SDK_NOTICE), { name: 'Warning' }));
    expect(atDebug.lines.map((l) => [l.level, l.msg])).toEqual([[20, SDK_NOTICE]]);
  });
});
