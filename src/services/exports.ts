import type { ExportSettings } from '../config.js';
import {
  advisoryMarkdown,
  cveMapYaml,
  cveRecord,
  type ExportContext,
  ExportInvalid,
  osvRecord,
  type SeverityInput,
} from '../domain/exports/index.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AdvisoryStore } from '../store/advisory.js';
import type { IncidentRoleStore } from '../store/incidentRoles.js';
import type { IncidentStore } from '../store/incidents.js';
import type { SeverityStore } from '../store/severity.js';
import type { AccessService } from './access.js';
import type { MemberService } from './members.js';

/** Every format an incident exports to; the first four are records for the world, `retro-md` is internal. */
export const EXPORT_FORMATS = ['cve', 'osv', 'cve-map', 'advisory-md', 'retro-md'] as const;
export type IncidentExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (v: string | undefined): v is IncidentExportFormat =>
  (EXPORT_FORMATS as readonly string[]).includes(v ?? '');

/** What each format is, for help texts. */
export const FORMAT_NAMES: Record<IncidentExportFormat, string> = {
  cve: 'the CVE record (CVE JSON 5, validated against the official schema)',
  osv: 'the OSV record (validated against the OSV schema)',
  'cve-map': "the release team's CVE data map (YAML, one document per release branch)",
  'advisory-md': "the advisory as Markdown (the tracking issue's text)",
  'retro-md': 'the retrospective as Markdown',
};

/**
 * Who asks for an export: a Slack user (checked as the rules say), or the operator at the machine's
 * command line without `--as` (who already holds the database file): allowed published incidents only,
 * so an embargoed record never leaves through a script that forgot to say who runs it.
 */
export type Viewer = { userId: string } | 'operator';

export type ExportResult =
  | {
      ok: true;
      format: IncidentExportFormat;
      text: string;
      /** A file name for it: `CVE-2026-1234.cve.json`, `SRP-2026-007.advisory.md`. */
      filename: string;
      /** Whether the incident's advisory is published (embargoed content otherwise). */
      published: boolean;
    }
  | {
      ok: false;
      /** `unknown`: no such incident; `refused`: not this viewer; `unavailable`: not yet (no record, config); `invalid`: the record fails the format. */
      reason: 'unknown' | 'refused' | 'unavailable' | 'invalid';
      message: string;
    };

const EXTENSION: Record<IncidentExportFormat, string> = {
  cve: 'cve.json',
  osv: 'osv.json',
  'cve-map': 'cve-map.yaml',
  'advisory-md': 'advisory.md',
  'retro-md': 'retro.md',
};

export interface ExportDeps {
  incidents: Pick<IncidentStore, 'get'>;
  advisory: Pick<AdvisoryStore, 'latest' | 'disclosure'>;
  severity: Pick<SeverityStore, 'get'>;
  roles: Pick<IncidentRoleStore, 'holders'>;
  members: Pick<MemberService, 'isMember'>;
  access: Pick<AccessService, 'canSee'>;
  project: { name: string; repo: string };
  settings: ExportSettings;
  /** Where a long export is shared from Slack (absent on the command line, which shares nothing). */
  outbox?: Pick<Outbox, 'upload' | 'uploadToPerson'>;
  securityChannel?: string;
  /** The retrospective as Markdown (services/retrospective.ts); absent: `retro-md` says it is unavailable. */
  retrospective?: (incidentId: string) => string | undefined;
}

/**
 * An incident's exports, for Slack (`/srp export`) and the command line (`npx srp export`): the context
 * built from configuration, the incident, its disclosure row and its latest advisory record, then the
 * pure exports of `domain/exports`. Before publication only members and the incident's Fix Lead get them;
 * after it, whoever may see the incident. The records for the world carry published fields only (the
 * pure exports read nothing else).
 */
export function exportService(deps: ExportDeps) {
  function mayExport(viewer: Viewer, incidentId: string, published: boolean): string | undefined {
    if (published) {
      if (viewer === 'operator' || deps.access.canSee(viewer.userId, incidentId)) return undefined;
      return `You cannot see ${incidentId}.`;
    }
    if (viewer === 'operator') {
      return `${incidentId} is not published yet: its exports are embargoed. Say who you are with --as <your Slack user id> (members of the committee and ${incidentId}'s Fix Lead may export it).`;
    }
    if (deps.members.isMember(viewer.userId)) return undefined;
    if (deps.roles.holders(incidentId).fixLead === viewer.userId) return undefined;
    return `${incidentId} is not published yet: until it is, only members of the committee and its Fix Lead export it.`;
  }

  function context(incidentId: string, modifiedAt: Date): ExportContext {
    const d = deps.advisory.disclosure(incidentId);
    const publishedAt = d?.state === 'published' ? (d.publishedAt ?? null) : null;
    return {
      incidentId,
      project: deps.project.name,
      // Filled in by `exportIncident` for the CVE record, which needs it; the others never read it.
      assigner: deps.settings.assigner ?? { shortName: '', orgId: '' },
      repoUrl: `https://github.com/${deps.project.repo}`,
      publishedAt,
      modifiedAt: publishedAt && publishedAt > modifiedAt ? publishedAt : modifiedAt,
      announcementUrl: publishedAt ? (d?.permalink ?? null) : null,
      osv: { ecosystem: deps.settings.osv.ecosystem, idPrefix: deps.settings.osv.idPrefix },
    };
  }

  function severityOf(incidentId: string): SeverityInput | null {
    const row = deps.severity.get(incidentId);
    if (!row) return null;
    const { cvssVector, cvssVersion, cvssScore, cvssRating, finalRating, questionnaireRating } = row;
    return { cvssVector, cvssVersion, cvssScore, cvssRating, finalRating, questionnaireRating };
  }

  return {
    /** The security channel (where an export asked for there is shared). */
    securityChannel: deps.securityChannel,

    /** Whether the incident's advisory is published (its exports are then no longer embargoed). */
    isPublished(incidentId: string): boolean {
      return deps.advisory.disclosure(incidentId)?.state === 'published';
    },

    /**
     * Why an incident's export may not be answered in this Slack channel, if it may not: an embargoed one
     * only in the security channel or a DM (the answer is only the asker's either way; the file, if any,
     * goes to the security channel or their own DM with the app).
     */
    channelProblem(incidentId: string, channelId: string): string | undefined {
      if (this.isPublished(incidentId)) return undefined;
      if (channelId === deps.securityChannel || channelId.startsWith('D')) return undefined;
      return `${incidentId} is embargoed until it is published: ask for its exports in the security channel or in your DM with srp.`;
    },

    /**
     * Shares an export as a file: into the security channel when asked there, else into the asker's own DM
     * with the app (`requested`: what they may read, nowhere else). Returns the file's permalink.
     */
    async share(
      userId: string,
      channelId: string,
      result: Extract<ExportResult, { ok: true }>,
      incidentId: string,
    ): Promise<string | undefined> {
      if (!deps.outbox) throw new Error('exports are shared only from Slack');
      const file = {
        filename: result.filename,
        title: `${incidentId}: ${FORMAT_NAMES[result.format]}`,
        content: result.text,
      };
      if (channelId === deps.securityChannel) {
        return deps.outbox.upload({
          ...file,
          channel: channelId,
          sensitivity: result.published ? 'generic' : 'embargoed',
        });
      }
      return deps.outbox.uploadToPerson({ ...file, userId });
    },

    exportIncident(incidentId: string, format: IncidentExportFormat, viewer: Viewer): ExportResult {
      const incident = deps.incidents.get(incidentId);
      if (!incident) return { ok: false, reason: 'unknown', message: `There is no incident ${incidentId}.` };
      const published = deps.advisory.disclosure(incidentId)?.state === 'published';
      // The retrospective carries critiques and everyone's part: never a record for the world, so it is
      // exported only as an embargoed one is (members and the Fix Lead), published or not.
      const refusal = mayExport(viewer, incidentId, format === 'retro-md' ? false : published);
      if (refusal) return { ok: false, reason: 'refused', message: refusal };

      const done = (text: string, name: string) =>
        ({ ok: true, format, text, filename: `${name}.${EXTENSION[format]}`, published }) as const;
      if (format === 'retro-md') {
        const text = deps.retrospective?.(incidentId);
        if (text === undefined) {
          return {
            ok: false,
            reason: 'unavailable',
            message: deps.retrospective
              ? `${incidentId} has no retrospective yet.`
              : 'The retrospective export (retro-md) is not built yet.',
          };
        }
        return done(text, incidentId);
      }

      const latest = deps.advisory.latest(incidentId);
      if (!latest) {
        return {
          ok: false,
          reason: 'unavailable',
          message: `${incidentId} has no advisory record yet; its commander or Fix Lead writes it with \`/srp disclose ${incidentId}\`.`,
        };
      }
      if (format === 'cve' && !deps.settings.assigner) {
        return {
          ok: false,
          reason: 'unavailable',
          message:
            'A CVE record names its assigner: set SRP_CVE_ASSIGNER and SRP_CVE_ASSIGNER_ORG_ID (the CNA’s short name and organisation UUID).',
        };
      }
      const record = latest.record;
      const ctx = context(incidentId, latest.editedAt);
      const severity = severityOf(incidentId);
      const name = record.cveId ?? incidentId;
      try {
        switch (format) {
          case 'cve':
            return done(`${JSON.stringify(cveRecord(record, severity, ctx), null, 2)}\n`, name);
          case 'osv':
            return done(`${JSON.stringify(osvRecord(record, severity, ctx), null, 2)}\n`, name);
          case 'cve-map':
            return done(cveMapYaml(record, severity, ctx), name);
          case 'advisory-md':
            return done(advisoryMarkdown(record, severity, ctx), name);
        }
      } catch (err) {
        if (err instanceof ExportInvalid) return { ok: false, reason: 'invalid', message: err.message };
        throw err;
      }
    },
  };
}
export type ExportService = ReturnType<typeof exportService>;
