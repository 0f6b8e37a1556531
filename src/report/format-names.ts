/**
 * The report formats by name, table first (the default). Apart from the
 * formatters on purpose: --help lists them without loading a formatter and
 * its libraries (the table's width library alone takes about 30 ms to load).
 * index.ts's formatter map must have exactly these keys (the compiler holds it).
 */
export const REPORT_FORMATS = ['table', 'json', 'junit', 'sarif', 'markdown', 'asff'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];
