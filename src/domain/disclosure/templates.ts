import Handlebars from 'handlebars';

/**
 * The disclosure texts' templates: one Handlebars file per text (`templates/*.hbs`), which a team may
 * replace file by file (`SRP_TEMPLATES_DIR`). Every template is parsed at start-up and every field it
 * names is checked against the fields srp fills (`TEMPLATE_FIELDS`): a template naming an unknown field
 * stops srp with the file, the field and the known fields, instead of a blank in an email.
 *
 * A file is a few header lines (`Title:`, `Subject:`, `To:`, `Cc:`), a blank line, then the body; a file
 * without headers is all body. Headers are rendered on one line each. Values are escaped for the text's
 * kind before rendering (see texts.ts), so templates are compiled with `noEscape` and `strict`.
 *
 * Only `{{#if field}}` and `{{#unless field}}` blocks and the `announcement-body` partial are allowed: a
 * field used outside an `#if` naming it is one the text needs (listed as missing when it is empty).
 */

/** Every field a template may name, with the words a person reads when it is missing. */
export const TEMPLATE_FIELDS = {
  'incident.id': 'srp incident id',
  summary: 'summary',
  cve: 'CVE',
  actor: 'actor',
  doSomething: 'what the actor can do',
  vulnerable: 'Am I vulnerable?',
  condition: 'affected only if',
  components: 'affected components',
  areaLabels: 'affected components',
  affectedVersions: 'affected versions',
  fixedVersions: 'fixed versions',
  fixedVersionsWithPrs: 'fixed versions',
  mitigation: 'mitigation',
  actionRequired: 'action required',
  fixImpact: 'fix impact',
  detection: 'detection',
  additionalDetails: 'additional details',
  reporter: 'reporter credit',
  fixTeam: 'Fix Team credit',
  releaseManagers: 'release managers credit',
  trackingIssue: 'tracking issue',
  cwe: 'CWE',
  patchDeployable: 'patch deployment terms',
  severity: 'severity (the final rating)',
  'cvss.vector': 'CVSS vector',
  'cvss.version': 'CVSS vector',
  'cvss.score': 'CVSS vector',
  'cvss.calculatorUrl': 'CVSS vector',
  'target.utc': 'target time',
  'target.pacific': 'target time',
  'embargo.date': 'target time',
  'embargo.time': 'target time',
  'embargo.utc': 'target time',
  'embargo.flag': 'target time',
  'project.name': 'project name (SRP_PROJECT_NAME)',
  'project.repo': 'GitHub repository (SRP_GITHUB_REPO)',
  'project.securityEmail': 'security contact address (SRP_SECURITY_EMAIL)',
  'project.signer': 'signer (SRP_SIGNER)',
  'emails.announce': 'announcement addresses (SRP_ANNOUNCE_EMAIL_TO)',
  'emails.ossSecurity': 'oss-security address (SRP_OSS_SECURITY_TO)',
  'emails.distributors': 'distributors list address (SRP_DISTRIBUTORS_EMAIL)',
} as const;
export type TemplateField = keyof typeof TEMPLATE_FIELDS;
const KNOWN = new Set<string>(Object.keys(TEMPLATE_FIELDS));

/** Every text srp renders, in the order the drafts show them; `kind` says how user text is escaped. */
export const TEXTS = [
  { id: 'slack-line', title: 'Slack line (#announcements)', kind: 'slack', profiles: 'all' },
  { id: 'announcement-email', title: 'Announcement email', kind: 'markdown', profiles: 'all' },
  {
    id: 'announcement-email-oss',
    title: 'Announcement email to oss-security',
    kind: 'markdown',
    profiles: 'all',
  },
  { id: 'tracking-issue', title: 'Tracking issue', kind: 'markdown', profiles: 'all' },
  { id: 'placeholder-issue', title: 'Placeholder issue', kind: 'markdown', profiles: 'all' },
  { id: 'distributors-email', title: 'Distributors email', kind: 'markdown', profiles: 'all' },
  { id: 'forthcoming-fix-email', title: 'Forthcoming fix email', kind: 'markdown', profiles: ['pst2018'] },
] as const satisfies ReadonlyArray<{
  id: string;
  title: string;
  kind: 'slack' | 'markdown';
  profiles: 'all' | readonly string[];
}>;
export type TextId = (typeof TEXTS)[number]['id'];
export type TextKind = 'slack' | 'markdown';

/** Template files that are not texts but parts of them. */
export const PARTIALS = ['announcement-body'] as const;

export const TEMPLATE_FILES: readonly string[] = [...TEXTS.map((t) => t.id), ...PARTIALS].map(
  (n) => `${n}.hbs`,
);

const HEADERS = ['Title', 'Subject', 'To', 'Cc'] as const;
type Header = (typeof HEADERS)[number];

/** One compiled text: its headers and body, and the fields each needs (not guarded by an `#if`). */
export interface CompiledText {
  id: TextId;
  file: string;
  headers: Partial<Record<Header, Handlebars.TemplateDelegate>>;
  body: Handlebars.TemplateDelegate;
  /** Fields the text names outside an `#if` on them: empty, they are missing. */
  needs: TemplateField[];
}

export interface TemplateSet {
  texts: CompiledText[];
  /** Where each file came from (the team's directory, or srp's own), for the README and start-up log. */
  sources: Record<string, string>;
}

export type TemplateLoad = { ok: true; set: TemplateSet } | { ok: false; problems: string[] };

type Ast = hbs.AST.Program;

interface Parsed {
  file: string;
  headers: Array<{ name: Header; source: string; ast: Ast }>;
  body: { source: string; ast: Ast };
}

/** Splits a file into its header lines and its body. */
function splitFile(source: string): { headers: Array<{ name: Header; source: string }>; body: string } {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const headers: Array<{ name: Header; source: string }> = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^(Title|Subject|To|Cc):\s?(.*)$/.exec(lines[i] ?? '');
    if (!m) break;
    headers.push({ name: m[1] as Header, source: m[2] ?? '' });
  }
  if (headers.length > 0 && (lines[i] ?? '') === '') i++;
  else if (headers.length > 0) return { headers: [], body: source };
  return { headers, body: lines.slice(i).join('\n').replace(/\n+$/, '\n') };
}

/**
 * Walks a template: every field it names (with whether an `#if` on that field guards it), every helper
 * and partial. Problems are what the start-up check reports.
 */
function walk(
  ast: Ast,
  partials: Record<string, Ast | undefined>,
  visit: { field(name: string, guarded: boolean): void; problem(message: string): void },
  guards: ReadonlySet<string> = new Set(),
  seen: ReadonlySet<string> = new Set(),
): void {
  const field = (e: hbs.AST.Expression, guarded: ReadonlySet<string>) => {
    if (e.type === 'PathExpression') {
      const p = e as hbs.AST.PathExpression;
      if (p.data || p.depth > 0 || p.original === 'this' || p.original.startsWith('this.')) {
        visit.problem(`"${p.original}" is not a field; name fields as they are listed`);
        return;
      }
      visit.field(p.original, guarded.has(p.original));
    } else if (e.type === 'SubExpression') {
      visit.problem(`"(${(e as hbs.AST.SubExpression).path.original} …)": helpers are not allowed`);
    }
  };
  const statements = (program: Ast | undefined, guarded: ReadonlySet<string>) => {
    for (const s of program?.body ?? []) statement(s, guarded);
  };
  const statement = (s: hbs.AST.Statement, guarded: ReadonlySet<string>) => {
    switch (s.type) {
      case 'MustacheStatement': {
        const m = s as hbs.AST.MustacheStatement;
        if (m.params.length > 0 || m.hash?.pairs.length) {
          visit.problem(`"{{${(m.path as hbs.AST.PathExpression).original} …}}": helpers are not allowed`);
          return;
        }
        field(m.path as hbs.AST.Expression, guarded);
        return;
      }
      case 'BlockStatement': {
        const b = s as hbs.AST.BlockStatement;
        const helper = b.path.original;
        const subject = b.params[0];
        if ((helper !== 'if' && helper !== 'unless') || b.params.length !== 1 || !subject) {
          visit.problem(`"{{#${helper}}}": only {{#if field}} and {{#unless field}} blocks are allowed`);
          return;
        }
        // The `#if` itself needs nothing: an empty field just takes the other branch.
        field(
          subject,
          new Set([
            ...guarded,
            subject.type === 'PathExpression' ? (subject as hbs.AST.PathExpression).original : '',
          ]),
        );
        const name = subject.type === 'PathExpression' ? (subject as hbs.AST.PathExpression).original : '';
        const withIt = new Set([...guarded, name]);
        statements(b.program, helper === 'if' ? withIt : guarded);
        statements(b.inverse, helper === 'if' ? guarded : withIt);
        return;
      }
      case 'PartialStatement': {
        const p = s as hbs.AST.PartialStatement;
        const name = p.name.type === 'PathExpression' ? (p.name as hbs.AST.PathExpression).original : '';
        const partial = partials[name];
        if (!partial) {
          visit.problem(`"{{> ${name}}}": no such partial; the partials are ${PARTIALS.join(', ')}`);
          return;
        }
        if (seen.has(name)) {
          visit.problem(`"{{> ${name}}}" includes itself`);
          return;
        }
        walk(partial, partials, visit, guarded, new Set([...seen, name]));
        return;
      }
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      default:
        visit.problem(`"${s.type}" is not allowed in a template`);
    }
  };
  statements(ast, guards);
}

const COMPILE: CompileOptions = { noEscape: true, strict: true, knownHelpersOnly: true };
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/**
 * Parses and checks every template, from `files` (file name → source, the team's over srp's own),
 * and compiles them. Every problem of every file is collected, for the one configuration message.
 */
export function compileTemplates(files: Record<string, { source: string; from: string }>): TemplateLoad {
  const problems: string[] = [];
  const env = Handlebars.create();
  const parsed: Record<string, Parsed | undefined> = {};
  for (const name of TEMPLATE_FILES) {
    const file = files[name];
    if (!file) {
      problems.push(`template ${name} is missing`);
      continue;
    }
    try {
      const split = splitFile(file.source);
      parsed[name] = {
        file: file.from,
        headers: split.headers.map((h) => ({ ...h, ast: env.parse(h.source) })),
        body: { source: split.body, ast: env.parse(split.body) },
      };
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      problems.push(`${file.from}: the template does not parse: ${why}`);
    }
  }
  const partialAsts = Object.fromEntries(PARTIALS.map((p) => [p, parsed[`${p}.hbs`]?.body.ast]));
  const known = Object.keys(TEMPLATE_FIELDS).join(', ');
  const texts: CompiledText[] = [];
  const check = (p: Parsed, ast: Ast, needs: Set<TemplateField>) => {
    walk(ast, partialAsts, {
      field(name, guarded) {
        if (!KNOWN.has(name)) {
          problems.push(`${p.file}: unknown field "${name}"; the known fields are: ${known}`);
          return;
        }
        if (!guarded) needs.add(name as TemplateField);
      },
      problem(message) {
        problems.push(`${p.file}: ${message}`);
      },
    });
  };
  for (const partial of PARTIALS) {
    const p = parsed[`${partial}.hbs`];
    if (!p) continue;
    if (p.headers.length > 0) problems.push(`${p.file}: a partial has no headers (Title:, Subject:, ...)`);
    env.registerPartial(partial, env.compile(p.body.source, COMPILE));
  }
  for (const t of TEXTS) {
    const p = parsed[`${t.id}.hbs`];
    if (!p) continue;
    const needs = new Set<TemplateField>();
    for (const h of p.headers) check(p, h.ast, needs);
    check(p, p.body.ast, needs);
    texts.push({
      id: t.id,
      file: p.file,
      headers: Object.fromEntries(p.headers.map((h) => [h.name, env.compile(h.source, COMPILE)])),
      body: env.compile(p.body.source, COMPILE),
      needs: [...needs],
    });
  }
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  return {
    ok: true,
    set: { texts, sources: Object.fromEntries(TEMPLATE_FILES.map((f) => [f, files[f]?.from ?? ''])) },
  };
}
