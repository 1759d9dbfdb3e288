import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, fileReport, follow, type Harness, SECURITY, startHarness, workspace } from './harness.js';

const B = 'UMEMBER002';

let h: Harness;
beforeEach(async () => {
  const ws = workspace();
  ws.users = [...(ws.users ?? []), { id: B, name: 'bea', tz: 'Europe/Berlin' }];
  h = await startHarness({ fake: ws, env: { SRP_ADMINS: `${ADMIN},${B}` } });
});
afterEach(async () => {
  await h.stop();
});

const report = () => fileReport(h);

const card = () => JSON.stringify(h.fake.messages(SECURITY)[0]?.blocks);
const viewIdOf = (c: { response?: unknown }) => (c.response as { view: { id: string; hash: string } }).view;

/** Runs `open` and returns the modal it opened (not one opened earlier). */
async function opens(open: () => Promise<unknown>) {
  const before = h.fake.okCallsTo('views.open').length;
  await open();
  return viewIdOf(await h.fake.waitFor(() => h.fake.okCallsTo('views.open')[before]));
}

/** Picks an answer in the open questionnaire, as Slack sends it: a block action from the modal. */
async function choose(userId: string, viewId: string, question: string, value: string) {
  const updates = h.fake.okCallsTo('views.update').length;
  const res = await h.driver.blockAction({
    userId,
    actionId: 'srp_sev_answer',
    blockId: question,
    viewId,
    selectedOption: { value },
  });
  expect(res.status).toBe(200);
  await h.fake.waitFor(() => h.fake.okCallsTo('views.update').length === updates + 1);
}

describe('the severity questionnaire', () => {
  it('walks the thresholds in one modal and gives the document’s rating with the rule path', async () => {
    const id = await report();
    const view = await opens(async () => {
      const res = await h.driver.command(`severity ${id}`, { userId: ADMIN, channelId: SECURITY });
      expect(res.status).toBe(200);
    });
    // Server, adjacent network, code execution: Critical downgraded to High for adjacent network access.
    const answers: Array<[string, string]> = [
      ['component', 'server'],
      ['position', 'adjacent_network'],
      ['impact', 'code_execution'],
      ['userInteraction', 'no'],
      ['straightforwardMitigation', 'no'],
      ['nonDefaultConfig', 'no'],
    ];
    for (const [q, v] of answers) await choose(ADMIN, view.id, q, v);
    const updates = h.fake.okCallsTo('views.update');
    // Every redraw was guarded by the hash of the copy that was clicked.
    expect(updates.every((u) => typeof u.args.hash === 'string')).toBe(true);
    const finalView = JSON.stringify(h.fake.view(view.id)?.view);
    expect(finalView).toContain('Rating: High');
    expect(finalView).toMatch(/Critical downgraded to High[^"]*adjacent network/i);

    const submit = await h.driver.viewSubmission({ userId: ADMIN, viewId: view.id, values: {} });
    expect(submit.status).toBe(200);
    // The person who submitted it sees the outcome in the modal.
    expect(JSON.stringify(submit.json)).toContain(`${id}: the questionnaire rates it High.`);
    await h.fake.waitFor(() => card().includes('Questionnaire: High'));
    const state = h.srp.services.severity.state(id);
    expect(state.questionnaire?.rating).toBe('High');
    expect(state.final?.rating).toBe('High');
    const event = h.srp.services.incidents.timeline(id).find((e) => e.type === 'severity_assessed');
    expect(event).toMatchObject({
      actor: ADMIN,
      newValue: {
        rating: 'High',
        inputs: { component: 'server', position: 'adjacent_network', impact: 'code_execution' },
      },
    });
    expect(JSON.stringify(event?.newValue)).toMatch(/adjacent network/i);
  });

  it('ignores a click on a stale copy of the modal (hash_conflict) and keeps what was chosen', async () => {
    const id = await report();
    const view = await opens(() => h.driver.command(`severity ${id}`, { userId: ADMIN }));
    await choose(ADMIN, view.id, 'component', 'server');
    const current = JSON.stringify(h.fake.view(view.id)?.view);
    // A second click carrying the hash of the first copy, as from a laggy client.
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_sev_answer',
      blockId: 'component',
      view: { id: view.id, hash: view.hash },
      selectedOption: { value: 'client' },
    });
    await h.fake.waitFor(() => h.fake.callsTo('views.update').some((c) => c.error === 'hash_conflict'));
    expect(JSON.stringify(h.fake.view(view.id)?.view)).toBe(current);
    // The log line follows Slack's answer: wait for it rather than race it.
    await h.fake.waitFor(() => h.logs.text().includes('questionnaire not redrawn'), 5000, 'the log line');
  });

  it('an incomplete questionnaire cannot be recorded', async () => {
    const id = await report();
    const view = await opens(() => h.driver.command(`severity ${id}`, { userId: ADMIN }));
    await choose(ADMIN, view.id, 'component', 'client');
    const res = await h.driver.viewSubmission({ userId: ADMIN, viewId: view.id, values: {} });
    // The questionnaire has no input blocks for inline errors, so it comes back redrawn with the notice.
    expect(res.json.response_action).toBe('update');
    expect(JSON.stringify(res.json.view)).toContain('Answer every question first.');
    expect(h.srp.services.severity.state(id).questionnaire).toBeNull();
  });
});

describe('CVSS', () => {
  async function cvssModal(id: string) {
    await h.fake.waitFor(() => card().includes('srp_cvss_open'));
    return opens(() =>
      h.driver.blockAction({ userId: ADMIN, actionId: 'srp_cvss_open', channelId: SECURITY, value: id }),
    );
  }
  const pasted = (value: string) => ({ vector: { value: { type: 'plain_text_input', value } } });

  it('answers an invalid vector inline, naming the metric, and records a calculator link', async () => {
    const id = await report();
    const view = await cvssModal(id);
    const bad = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: pasted('CVSS:3.1/AV:N/AC:L/PR:X/UI:N/S:U/C:H/I:H/A:H'),
    });
    expect(bad.json.response_action).toBe('errors');
    expect(bad.json.errors.vector).toMatch(/Privileges Required/);
    const missing = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: pasted('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'),
    });
    expect(missing.json.errors.vector).toMatch(/Availability/);
    expect(h.srp.services.severity.state(id).cvss).toBeNull();

    const ok = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: pasted(
        'https://www.first.org/cvss/calculator/3.1#cvss:3.1/av:n/ac:l/pr:l/ui:n/s:u/c:h/i:h/a:h',
      ),
    });
    expect(ok.status).toBe(200);
    // The modal turns into the outcome, for the person who submitted it.
    expect(ok.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(ok.json.view.blocks)).toContain(`${id}: CVSS 3.1 8.8 (High).`);
    await h.fake.waitFor(() => card().includes('8.8 High'));
    expect(h.srp.services.severity.state(id).cvss).toMatchObject({
      vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
      score: 8.8,
      rating: 'High',
    });
    expect(h.srp.services.incidents.timeline(id).find((e) => e.type === 'cvss_scored')?.actor).toBe(ADMIN);
  });

  it('builds the vector from picked metrics, and names a metric left unpicked', async () => {
    const id = await report();
    const view = await cvssModal(id);
    const pick = (m: string, v: string) => ({
      [`metric31_${m}`]: { value: { type: 'static_select', selected_option: { value: v } } },
    });
    const picks = {
      ...pick('AV', 'N'),
      ...pick('AC', 'L'),
      ...pick('PR', 'N'),
      ...pick('UI', 'R'),
      ...pick('S', 'C'),
      ...pick('C', 'L'),
      ...pick('I', 'L'),
    };
    const partial = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: { ...pasted(''), ...picks },
    });
    expect(partial.json.errors).toEqual({ metric31_A: expect.stringMatching(/Availability/) });
    await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: { ...pasted(''), ...picks, ...pick('A', 'N') },
    });
    // FIRST's phpMyAdmin XSS example (CVE-2013-1937): 6.1 Medium.
    await h.fake.waitFor(() => h.srp.services.severity.state(id).cvss?.score === 6.1);
  });

  it('builds a CVSS 4.0 vector from picked 4.0 metrics, and refuses picks from two versions', async () => {
    const id = await report();
    const view = await cvssModal(id);
    const pick = (m: string, v: string) => ({
      [`metric40_${m}`]: { value: { type: 'static_select', selected_option: { value: v } } },
    });
    const v40 = Object.assign(
      {},
      ...Object.entries({
        AV: 'N',
        AC: 'L',
        AT: 'N',
        PR: 'N',
        UI: 'N',
        VC: 'H',
        VI: 'H',
        VA: 'H',
        SC: 'N',
        SI: 'N',
        SA: 'N',
      }).map(([m, v]) => pick(m, v)),
    );
    const mixed = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: {
        ...pasted(''),
        ...v40,
        metric31_AV: { value: { type: 'static_select', selected_option: { value: 'N' } } },
      },
    });
    expect(mixed.json.errors).toEqual({ vector: 'Pick the metrics of one CVSS version, not both.' });
    await h.driver.viewSubmission({ userId: ADMIN, viewId: view.id, values: { ...pasted(''), ...v40 } });
    await h.fake.waitFor(() => h.srp.services.severity.state(id).cvss?.score === 9.3);
    expect(h.srp.services.severity.state(id).cvss?.vector).toBe(
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    );
  });

  it('/srp cvss records a lowercase vector from a script, and rejects a malformed one plainly', async () => {
    const id = await report();
    const bad = await h.driver.command(`cvss ${id} CVSS:3.1/AV:Q`, { userId: ADMIN });
    expect(bad.json.text).toMatch(/:warning: .*Attack Vector/);
    const ok = await h.driver.command(`cvss ${id} cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h`, {
      userId: ADMIN,
    });
    expect(ok.json.text).toBe(`${id}: CVSS 3.1 9.8 (Critical).`);
  });
});

describe('reconciliation and the final call', () => {
  async function assessHigh(id: string) {
    await follow(
      h,
      h.srp.services.severity.recordAssessment(ADMIN, id, {
        component: 'server',
        position: 'adjacent_network',
        impact: 'code_execution',
        highValueAsset: false,
        userInteraction: false,
        straightforwardMitigation: false,
        nonDefaultConfig: false,
      }),
    );
  }

  it('a disagreement waits for the Fix Lead, who must give a reason; the track follows', async () => {
    const id = await report();
    expect(h.srp.services.roles.fixLead(id)).toBe(ADMIN);
    await assessHigh(id);
    await h.driver.command(`cvss ${id} CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, { userId: B });
    let state = h.srp.services.severity.state(id);
    expect(state).toMatchObject({ needsFinalCall: true, final: null });
    await h.fake.waitFor(() => card().includes('the ratings disagree'));

    // B is not the Fix Lead: the button says so, and a forged submission is refused too.
    await h.driver.blockAction({ userId: B, actionId: 'srp_final_open', channelId: SECURITY, value: id });
    await h.fake.waitFor(() =>
      JSON.stringify(h.fake.responses().at(-1)?.body ?? '').includes('Only the Fix Lead'),
    );
    const forged = await h.driver.viewSubmission({
      userId: B,
      view: {
        id: 'VFORGED',
        type: 'modal',
        callback_id: 'srp_severity_final',
        private_metadata: JSON.stringify({ incidentId: id }),
        blocks: [],
      },
      values: {
        rating: { value: { type: 'static_select', selected_option: { value: 'Critical' } } },
        reason: { value: { type: 'plain_text_input', value: 'because' } },
      },
    });
    expect(forged.json.errors.rating).toMatch(/Only the Fix Lead/);

    const view = await opens(() =>
      h.driver.blockAction({ userId: ADMIN, actionId: 'srp_final_open', channelId: SECURITY, value: id }),
    );
    const noReason = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: {
        rating: { value: { type: 'static_select', selected_option: { value: 'Critical' } } },
        reason: { value: { type: 'plain_text_input', value: ' ' } },
      },
    });
    expect(noReason.json.errors.reason).toMatch(/reason/);
    const called = await h.driver.viewSubmission({
      userId: ADMIN,
      viewId: view.id,
      values: {
        rating: { value: { type: 'static_select', selected_option: { value: 'Critical' } } },
        reason: { value: { type: 'plain_text_input', value: 'the adjacent network is every pod network' } },
      },
    });
    expect(JSON.stringify(called.json)).toContain(`${id} is rated Critical`);
    await h.fake.waitFor(() => h.srp.services.severity.state(id).final?.by === ADMIN);
    state = h.srp.services.severity.state(id);
    expect(state.final).toMatchObject({
      rating: 'Critical',
      reason: 'the adjacent network is every pod network',
      by: ADMIN,
    });
    expect(state.track).toMatchObject({
      release: 'out_of_band',
      maySlowRelease: false,
      maySemiPublicFix: false,
    });
    await h.fake.waitFor(() => card().includes('Out-of-band release'));

    const types = h.srp.services.incidents.timeline(id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['severity_assessed', 'cvss_scored', 'severity_final', 'release_track']),
    );
    expect(
      h.srp.services.incidents
        .timeline(id)
        .filter((e) => e.type === 'severity_final')
        .at(-1),
    ).toMatchObject({
      actor: ADMIN,
      newValue: {
        rating: 'Critical',
        reason: 'the adjacent network is every pod network',
        questionnaire: 'High',
        cvss: '9.8 Critical',
      },
    });
  });

  it('when the two agree, srp records the rating and the track without anyone deciding', async () => {
    const id = await report();
    await assessHigh(id);
    await h.driver.command(`cvss ${id} CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, { userId: B });
    const state = h.srp.services.severity.state(id);
    expect(state).toMatchObject({ needsFinalCall: false, final: { rating: 'High', by: null } });
    expect(state.track?.release).toBe('out_of_band');
    expect(state.track?.maySemiPublicFix).toBe(false);
  });
});

describe('severity: what the review asked to be shown', () => {
  const questionnaireHigh = {
    component: 'server',
    position: 'adjacent_network',
    impact: 'code_execution',
    highValueAsset: false,
    userInteraction: false,
    straightforwardMitigation: false,
    nonDefaultConfig: false,
  } as const;

  it('a disagreement is not dissolved by re-scoring until the two match; a call is reopened by new disagreeing inputs', async () => {
    const id = await report();
    await follow(h, h.srp.services.severity.recordAssessment(ADMIN, id, questionnaireHigh));
    await h.driver.command(`cvss ${id} CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, { userId: B });
    expect(h.srp.services.severity.state(id).needsFinalCall).toBe(true);
    // B re-scores to a High vector, so the two now agree: still the Fix Lead's call.
    await h.driver.command(`cvss ${id} CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, { userId: B });
    expect(h.srp.services.severity.state(id)).toMatchObject({
      needsFinalCall: true,
      final: null,
      track: null,
    });

    await follow(h, h.srp.services.severity.finalCall(ADMIN, id, 'High', 'adjacent only'));
    expect(h.srp.services.severity.state(id).needsFinalCall).toBe(false);
    // Re-running the questionnaire to the same rating reopens nothing; a new disagreeing score does.
    await follow(h, h.srp.services.severity.recordAssessment(ADMIN, id, questionnaireHigh));
    expect(h.srp.services.severity.state(id).needsFinalCall).toBe(false);
    await h.driver.command(`cvss ${id} CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N`, { userId: B });
    expect(h.srp.services.severity.state(id)).toMatchObject({
      needsFinalCall: true,
      final: { rating: 'High', by: ADMIN },
    });
    expect(h.srp.services.incidents.timeline(id).filter((e) => e.type === 'severity_disputed')).toHaveLength(
      2,
    );
  });

  it('the distributor notice follows once a CVE is assigned to the report', async () => {
    const id = await report();
    await follow(h, h.srp.services.severity.recordAssessment(ADMIN, id, questionnaireHigh));
    expect(h.srp.services.severity.state(id).track?.distributorNoticeRequired).toBe(false);
    await h.fake.waitFor(() => card().includes('distributors need notice once a CVE is assigned'));
    const edited = h.srp.services.incidents.edit(
      id,
      { ...h.srp.services.incidents.get(id), cveId: 'CVE-2026-4242' } as never,
      ADMIN,
    );
    expect(edited.ok).toBe(true);
    if (edited.ok) await follow(h, edited);
    expect(h.srp.services.severity.state(id).track?.distributorNoticeRequired).toBe(true);
    expect(card()).toContain('distributors need advance notice');
  });

  it('keeps an answer whose redraw lost the race, read from the modal’s own state', async () => {
    const id = await report();
    const view = await opens(() => h.driver.command(`severity ${id}`, { userId: ADMIN }));
    await choose(ADMIN, view.id, 'component', 'server');
    // The position was picked, but its redraw lost the race (hash_conflict), so only the modal's state
    // holds it; then the component is touched again. Slack sends every select's current state.
    await h.driver.blockAction({
      userId: ADMIN,
      actionId: 'srp_sev_answer',
      blockId: 'component',
      viewId: view.id,
      selectedOption: { value: 'server' },
      stateValues: {
        component: { srp_sev_answer: { type: 'static_select', selected_option: { value: 'server' } } },
        position: {
          srp_sev_answer: { type: 'static_select', selected_option: { value: 'remote_anonymous' } },
        },
      },
    });
    const metadata = await h.fake.waitFor(() => {
      const m = JSON.parse(String(h.fake.view(view.id)?.view.private_metadata ?? '{}'));
      return m.answers.position ? m : undefined;
    });
    expect(metadata.answers).toEqual({ component: 'server', position: 'remote_anonymous' });
  });
});
