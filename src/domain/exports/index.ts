/** The incident's records for the world: pure functions of the published advisory record. */
export { advisoryMarkdown } from './advisoryMarkdown.js';
export {
  type ExportContext,
  type ExportFormat,
  ExportInvalid,
  type ExportProblem,
  type SeverityInput,
} from './common.js';
export { type CveMapEntry, cveMapEntries, cveMapProblems, cveMapYaml } from './cveMap.js';
export { type CveRecord, cveRecord, cveRecordProblems } from './cveRecord.js';
export { type OsvRecord, osvId, osvProblems, osvRecord } from './osv.js';
export { schemaProblems } from './validate.js';
