import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { type ExportFormat, ExportInvalid, type ExportProblem } from './common.js';

/**
 * Validation of every CVE and OSV export against the official schemas, copied into `schemas/` (shipped
 * with the build; src/domain/exports and dist/domain/exports are both three levels below the root):
 * - `cve-record-5.schema.json`: CVE JSON 5 bundled schema (CVEProject/cve-schema,
 *   CVE_Record_Format_bundled.json), JSON Schema draft-07: plain `Ajv`.
 * - `osv.schema.json`: OSV (ossf/osv-schema validation/schema.json), JSON Schema 2020-12: `Ajv2020`.
 * Both need `strict: false` (the CVE schema carries `examples`, nested `$schema`/`$id` and unknown
 * keywords; the OSV one `title` inside `if`) and ajv-formats (`uri`, `date`, `date-time`).
 * Compiled once, on first use.
 */
export const SCHEMAS_FOLDER = new URL('../../../schemas/', import.meta.url);

// ajv-formats is CommonJS; under NodeNext its default export is the module object in types only.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ??
  addFormatsImport) as unknown as (ajv: Ajv | Ajv2020) => void;

const readSchema = (name: string) => JSON.parse(readFileSync(new URL(name, SCHEMAS_FOLDER), 'utf8'));

interface Validator {
  /** The official schema's verdict. */
  verdict: ValidateFunction;
  /**
   * Where the errors are read from: the CVE schema is `oneOf` Published | Rejected, so its own errors
   * mix both branches; srp only writes Published records, so that branch (`#/oneOf/0`) explains them.
   */
  explain: ValidateFunction;
}

const validators = new Map<'cve' | 'osv', Validator>();

function validator(kind: 'cve' | 'osv'): Validator {
  const known = validators.get(kind);
  if (known) return known;
  let made: Validator;
  if (kind === 'cve') {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const schema = readSchema('cve-record-5.schema.json');
    const verdict = ajv.compile(schema);
    const explain = ajv.getSchema(`${schema.$id}#/oneOf/0`);
    if (!explain) throw new Error('the CVE schema has no Published branch at #/oneOf/0');
    made = { verdict, explain };
  } else {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const verdict = ajv.compile(readSchema('osv.schema.json'));
    made = { verdict, explain: verdict };
  }
  validators.set(kind, made);
  return made;
}

function problemsOf(kind: 'cve' | 'osv', record: unknown): ExportProblem[] {
  const { verdict, explain } = validator(kind);
  if (verdict(record)) return [];
  if (explain !== verdict) explain(record);
  const problems = describeErrors(explain.errors ?? verdict.errors ?? []);
  return problems.length ? problems : describeErrors(verdict.errors ?? []);
}

/** Combinator errors (`oneOf`, `anyOf`, `if`) only say "a branch failed"; keep them only when alone. */
const WRAPPERS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not', 'contains']);

export function describeErrors(errors: readonly ErrorObject[]): ExportProblem[] {
  const specific = errors.filter((e) => !WRAPPERS.has(e.keyword));
  const chosen = specific.length ? specific : errors;
  const seen = new Set<string>();
  const out: ExportProblem[] = [];
  for (const e of chosen) {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : e.keyword === 'enum'
          ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
          : '';
    const problem = {
      field: e.instancePath || '/',
      problem: `${e.message ?? e.keyword}${extra}`,
    };
    const key = `${problem.field}\n${problem.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

/** Throws ExportInvalid naming each field (its JSON pointer) and what is wrong with it. */
export function assertValid(kind: 'cve' | 'osv', record: unknown, format: ExportFormat = kind): void {
  const problems = problemsOf(kind, record);
  if (problems.length) throw new ExportInvalid(format, problems);
}

/** The schema's verdict without throwing (for tests and for a CLI's `--check`). */
export function schemaProblems(kind: 'cve' | 'osv', record: unknown): ExportProblem[] {
  return problemsOf(kind, record);
}

/** The OSV schema's ecosystems (`Kubernetes`, `Go`, …) and its home-database id prefix pattern, for configuration. */
export function osvVocabulary(): { ecosystems: string[]; prefix: RegExp } {
  const schema = readSchema('osv.schema.json') as {
    $defs: { ecosystemName: { enum: string[] }; prefix: { pattern: string } };
  };
  return { ecosystems: schema.$defs.ecosystemName.enum, prefix: new RegExp(schema.$defs.prefix.pattern) };
}
