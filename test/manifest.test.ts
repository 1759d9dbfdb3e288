import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandRoutes } from '../src/slack/routes.js';

// test/fixtures/slack-app-manifest.schema.json is Slack's manifest schema as published on SchemaStore
// (json.schemastore.org/slack-app-manifest.json), copied from shared/reference.
const schema = JSON.parse(
  readFileSync(new URL('./fixtures/slack-app-manifest.schema.json', import.meta.url), 'utf8'),
);
const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8'));

describe('manifest.yml', () => {
  it("validates against Slack's manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares /srp with every subcommand in its usage hint, and the scopes srp calls need', () => {
    const srp = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/srp');
    for (const route of commandRoutes) expect(srp.usage_hint).toContain(route.name.split(' ')[0]);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'commands',
        'chat:write',
        'im:write',
        'groups:read',
        'groups:history',
        'im:history',
        // The announcement is confirmed in the announcements channel's history before srp posts it itself.
        'channels:history',
      ]),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
