import { describe, expect, it } from 'vitest';
import { FIELD_MAX, FORM_FIELDS, type FormValues } from '../../src/domain/disclosure/form.js';
import { PROFILES } from '../../src/domain/profiles/index.js';
import { severityState } from '../../src/domain/severityState.js';
import {
  advisoryChangedReply,
  DISCLOSE_CALLBACK,
  type DisclosureForm,
  disclosureModal,
  readDisclosureValues,
} from '../../src/views/disclosureModal.js';
import { timelineLine } from '../../src/views/show.js';
import { validateMessageBlocks, validateView } from '../support/blockKit.js';

const full = Object.fromEntries(FORM_FIELDS.map((f) => [f, 'x'.repeat(FIELD_MAX[f])])) as FormValues;
const form = (patch: Partial<DisclosureForm> = {}): DisclosureForm => ({
  incidentId: 'SRP-2026-001',
  values: full,
  version: 3,
  lastEdit: { by: 'UAAAAAAA1', at: new Date('2026-11-23T16:00:00Z') },
  cveRequired: true,
  severity: severityState(
    {
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
      cvssScore: 88,
      cvssRating: 'High',
      cvssVersion: '3.1',
      finalRating: 'High',
      finalBy: 'UAAAAAAA1',
      finalAt: new Date(),
    },
    true,
    PROFILES.src,
  ),
  fixTeam: Array.from({ length: 30 }, (_, i) => `UFIX${String(i).padStart(5, '0')}`),
  releaseManagers: ['URM000001'],
  ...patch,
});

const inputs = (view: { blocks: object[] }) =>
  view.blocks.filter(
    (b): b is { type: 'input'; block_id: string; optional: boolean; element: Record<string, unknown> } =>
      (b as { type: string }).type === 'input',
  );

describe('the advisory record modal', () => {
  it('holds every field of the record within Block Kit’s limits, filled to each field’s maximum', () => {
    const view = disclosureModal(form());
    expect(validateView(view)).toEqual([]);
    expect(view.callback_id).toBe(DISCLOSE_CALLBACK);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(inputs(view).map((b) => b.block_id)).toEqual([...FORM_FIELDS]);
    for (const b of inputs(view)) {
      expect(b.element.max_length).toBeLessThanOrEqual(3000);
      expect(String(b.element.initial_value).length).toBe(FIELD_MAX[b.block_id as keyof typeof FIELD_MAX]);
    }
    expect(JSON.parse(view.private_metadata)).toEqual({ incidentId: 'SRP-2026-001', version: 3 });
  });

  it('requires the summary always and the CVE once it exists; the rest is optional', () => {
    const required = (f: DisclosureForm) =>
      inputs(disclosureModal(f))
        .filter((b) => !b.optional)
        .map((b) => b.block_id);
    expect(required(form())).toEqual(['summary', 'cveId']);
    expect(required(form({ cveRequired: false }))).toEqual(['summary']);
  });

  it('shows the severity and CVSS read-only, and the Fix Team to credit, never as inputs', () => {
    const text = JSON.stringify(disclosureModal(form()).blocks);
    expect(text).toContain('Severity: *High* (final call by <@UAAAAAAA1>)');
    expect(text).toContain('8.8 High `CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H`');
    expect(text).toContain('Fix Team on srp: <@UFIX00000>');
    expect(inputs(disclosureModal(form())).some((b) => /severity|cvss/i.test(b.block_id))).toBe(false);
  });

  it('prefills only what it has: empty fields carry no initial value; a first record says where it came from', () => {
    const values = { ...Object.fromEntries(FORM_FIELDS.map((f) => [f, null])), summary: 'S' } as FormValues;
    const view = disclosureModal(
      form({ values, version: null, severity: null, fixTeam: [], releaseManagers: [] }),
    );
    expect(validateView(view)).toEqual([]);
    expect(
      inputs(view)
        .filter((b) => 'initial_value' in b.element)
        .map((b) => b.block_id),
    ).toEqual(['summary']);
    expect(JSON.stringify(view.blocks)).toContain('Not saved yet: prefilled from the report');
    expect(JSON.stringify(view.blocks)).toContain('_not assessed yet_');
  });

  it('reads a submission back by field, empty inputs as null', () => {
    const v = readDisclosureValues({
      summary: { value: { type: 'plain_text_input', value: 'S' } },
      actor: { value: { value: null } },
    });
    expect(v.summary).toBe('S');
    expect(v.actor).toBeNull();
    expect(v.affected).toBeNull();
  });

  it('says in the thread what an edit voided, in generic words', () => {
    const reply = advisoryChangedReply('SRP-2026-001', {
      version: 4,
      by: 'UAAAAAAA1',
      voided: 2,
      cancelled: true,
    });
    expect(validateMessageBlocks(reply.blocks, reply.text)).toEqual([]);
    expect(JSON.stringify(reply)).toContain(
      'changed (version 4, by <@UAAAAAAA1>): 2 approvals voided, the scheduled announcement cancelled',
    );
  });
});

describe('the advisory on the timeline', () => {
  it('names the field that changed, with its old and new values escaped', () => {
    const line = timelineLine({
      id: 1,
      incidentId: 'SRP-2026-001',
      at: new Date('2026-11-23T16:00:00Z'),
      actor: 'UAAAAAAA1',
      type: 'advisory_edited',
      field: 'affected',
      oldValue: null,
      newValue: [{ component: 'kubelet', introduced: null, fixed: '1.30.5', pr: '<!channel>' }],
    });
    expect(line).toContain(
      "changed the advisory's affected versions: _empty_ → kubelet &lt; 1.30.5 &lt;!channel&gt;",
    );
  });
});
