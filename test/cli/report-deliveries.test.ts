/**
 * One build per distinct report text: outputs that get the same bytes share
 * one build (`--output json --output-file F` made the JSON twice), and a
 * report's chunks, made once, reach stdout and every file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { reportDeliveries, reportOutputs, STDOUT, TERMINAL_STYLED_FORMATS } from '../../src/cli/report-outputs.js';
import { writeReportTo } from '../../src/cli/write-output.js';
import { formatReport, reportFormats } from '../../src/report/index.js';
import { fleetReport, TEST_CONTEXT } from '../report/sample-reports.js';

describe('reportDeliveries', () => {
  it('--output json --output-file F: one JSON build, to stdout and F', () => {
    expect(reportDeliveries(reportOutputs({ output: 'json', outputFile: 'r.json' }))).toEqual([{ format: 'json', toStdout: true, files: ['r.json'] }]);
  });

  it('a table on stdout and in a file are two builds (colours and width are for the terminal only)', () => {
    expect(reportDeliveries(reportOutputs({ output: 'table', outputFile: 't.txt' }))).toEqual([
      { format: 'table', toStdout: true, files: [] },
      { format: 'table', toStdout: false, files: ['t.txt'] },
    ]);
  });

  it('--report: one build per format, whatever the number of paths', () => {
    const outputs = [
      { format: 'sarif', path: 'a.sarif' },
      { format: 'json', path: STDOUT },
      { format: 'sarif', path: 'b.sarif' },
      { format: 'table', path: 'x.txt' },
      { format: 'table', path: 'y.txt' },
    ] as const;
    expect(reportDeliveries(outputs)).toEqual([
      { format: 'sarif', toStdout: false, files: ['a.sarif', 'b.sarif'] },
      { format: 'json', toStdout: true, files: [] },
      { format: 'table', toStdout: false, files: ['x.txt', 'y.txt'] },
    ]);
  });

  // what the grouping relies on: only the styled formats change with the destination's style
  it.each(reportFormats.filter((f) => !TERMINAL_STYLED_FORMATS.includes(f)))('%s is the same text on a colour terminal and in a file', (format) => {
    const report = fleetReport();
    const terminal = formatReport(format, report, { ...TEST_CONTEXT, color: true, width: 60 });
    expect(formatReport(format, report, { ...TEST_CONTEXT, color: false })).toBe(terminal);
  });
});

describe('writeReportTo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swarm-audit-deliver-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes chunks that can be made only once to stdout and to every file, byte for byte', async () => {
    let builds = 0;
    function* chunks() {
      builds += 1;
      yield '{"a":';
      yield '1}';
    }
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (d: Buffer) => (printed += d.toString()));
    await writeReportTo({ stdout, files: [join(dir, 'one.json'), join(dir, 'two.json')] }, chunks());
    expect(builds).toBe(1);
    expect(printed).toBe('{"a":1}\n');
    expect(readFileSync(join(dir, 'one.json'), 'utf8')).toBe('{"a":1}\n');
    expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe('{"a":1}\n');
  });
});
