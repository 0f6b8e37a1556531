import { assertStatusFilterUsed, reportOutputs, STDOUT } from '../../src/cli/report-outputs.js';

describe('reportOutputs', () => {
  it('--output and --output-file are the shorthand for one format on stdout and in a file', () => {
    expect(reportOutputs({ output: 'table' })).toEqual([{ format: 'table', path: STDOUT }]);
    expect(reportOutputs({ output: 'json', outputFile: 'r.json' })).toEqual([
      { format: 'json', path: STDOUT },
      { format: 'json', path: 'r.json' },
    ]);
  });

  it('--report FORMAT=PATH names every output; stdout carries only what a report names', () => {
    expect(reportOutputs({ output: 'table', report: ['sarif=a.sarif', 'junit=out/j.xml', 'markdown=-', 'json=x=y.json'] })).toEqual([
      { format: 'sarif', path: 'a.sarif' },
      { format: 'junit', path: 'out/j.xml' },
      { format: 'markdown', path: STDOUT },
      { format: 'json', path: 'x=y.json' },
    ]);
    expect(reportOutputs({ output: 'table', report: ['sarif=a.sarif'] })).toEqual([{ format: 'sarif', path: 'a.sarif' }]);
    expect(reportOutputs({ output: 'json', outputFile: 'r.json', report: ['sarif=a.sarif'] })).toEqual([
      { format: 'sarif', path: 'a.sarif' },
      { format: 'json', path: 'r.json' },
    ]);
  });

  it.each([
    [['sarif'], 'expected FORMAT=PATH'],
    [['=a'], 'expected FORMAT=PATH'],
    [['sarif='], 'expected FORMAT=PATH'],
    [['yaml=a.yml'], 'unknown report format "yaml"'],
    [['json=a', 'sarif=a'], 'a is named by two reports'],
    [['json=-', 'table=-'], 'stdout (-) is named by two reports'],
  ])('refuses %j', (report, message) => {
    expect(() => reportOutputs({ output: 'table', report })).toThrow(expect.objectContaining({ source: 'user', message: expect.stringContaining(message) }));
  });

  it('--status needs an output that lists results for a person', () => {
    expect(() => assertStatusFilterUsed([{ format: 'json', path: STDOUT }, { format: 'markdown', path: 'm.md' }])).not.toThrow();
    expect(() => assertStatusFilterUsed([{ format: 'json', path: STDOUT }, { format: 'sarif', path: 's' }])).toThrow(
      '--status filters what table and markdown list; json, sarif are complete records (leave --status out)',
    );
  });
});
