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
        'files:write',
        // The announcement is confirmed in the announcements channel's history before srp posts it itself.
        'channels:history',
      ]),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('declares the Home tab and subscribes to app_home_opened, at the URL interactivity uses (HTTP mode)', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'message.channels']);
    expect(manifest.oauth_config.scopes.bot).toContain('channels:history');
    // Socket Mode deletes the URLs and keeps the subscription: the events come over its connection.
    expect(manifest.settings.event_subscriptions.request_url).toBe(
      manifest.settings.interactivity.request_url,
    );
  });
});
