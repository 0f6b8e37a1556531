/**
 * Where the audit's reports go: `--report FORMAT=PATH` (repeatable; PATH `-`
 * is stdout) writes several formats from one SSM run; `--output` and
 * `--output-file` stay as the shorthand for one format. Everything here is
 * decided, and every path checked, before the first AWS call.
 */
import { UsageError } from '../errors.js';
import { isReportFormat, reportFormats, STATUS_FILTERED_FORMATS, type ReportFormat } from '../report/index.js';

export const STDOUT = '-';

export interface ReportOutput {
  format: ReportFormat;
  /** A file, or STDOUT. */
  path: string;
}

export interface OutputFlags {
  output: string;
  outputFile?: string;
  report?: string[];
}

export function reportOutputs(flags: OutputFlags): ReportOutput[] {
  if (flags.report === undefined || flags.report.length === 0) {
    const format = knownFormat(flags.output, '--output');
    return [{ format, path: STDOUT }, ...(flags.outputFile !== undefined ? [{ format, path: flags.outputFile }] : [])];
  }
  const outputs = flags.report.map(parseReportFlag);
  if (flags.outputFile !== undefined) outputs.push({ format: knownFormat(flags.output, '--output'), path: flags.outputFile });
  const paths = outputs.map((o) => o.path);
  const repeated = paths.find((path, i) => paths.indexOf(path) !== i);
  if (repeated !== undefined) {
    throw new UsageError(`${repeated === STDOUT ? 'stdout (-)' : repeated} is named by two reports: give each report its own path`);
  }
  return outputs;
}

/**
 * The formats whose text depends on where it goes (colours and the terminal's
 * width on stdout, plain in a file): every other format is the same bytes
 * wherever it is written (test/cli/report-deliveries.test.ts holds this).
 */
export const TERMINAL_STYLED_FORMATS: readonly ReportFormat[] = ['table'];

/** One report built once and written to each of its destinations. */
export interface ReportDelivery {
  format: ReportFormat;
  toStdout: boolean;
  files: string[];
}

/**
 * The outputs grouped by identical text: `--output json --output-file F`
 * builds the JSON once and writes it to stdout and F; a table on stdout and
 * in a file are two builds (colours, width).
 */
export function reportDeliveries(outputs: readonly ReportOutput[]): ReportDelivery[] {
  const deliveries: ReportDelivery[] = [];
  for (const { format, path } of outputs) {
    const toStdout = path === STDOUT;
    const styled = TERMINAL_STYLED_FORMATS.includes(format);
    let delivery = deliveries.find((d) => d.format === format && (!styled || d.toStdout === toStdout));
    if (!delivery) deliveries.push((delivery = { format, toStdout: false, files: [] }));
    if (toStdout) delivery.toStdout = true;
    else delivery.files.push(path);
  }
  return deliveries;
}

/** --status would be ignored by every output that is a complete record: refuse it unless one lists results for a person. */
export function assertStatusFilterUsed(outputs: readonly ReportOutput[]): void {
  if (outputs.some((o) => STATUS_FILTERED_FORMATS.includes(o.format))) return;
  const formats = [...new Set(outputs.map((o) => o.format))].join(', ');
  throw new UsageError(`--status filters what ${STATUS_FILTERED_FORMATS.join(' and ')} list; ${formats} ${formats.includes(',') ? 'are complete records' : 'is a complete record'} (leave --status out)`);
}

function parseReportFlag(value: string): ReportOutput {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new UsageError(`--report ${value}: expected FORMAT=PATH (PATH - for stdout), e.g. sarif=swarm-audit.sarif`);
  return { format: knownFormat(value.slice(0, at), `--report ${value}`), path: value.slice(at + 1) };
}

function knownFormat(format: string, flag: string): ReportFormat {
  if (isReportFormat(format)) return format;
  throw new UsageError(`${flag}: unknown report format "${format}"; valid formats: ${reportFormats.join(', ')}`, 'UnknownFormat');
}
