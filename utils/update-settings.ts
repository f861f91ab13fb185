import { settingsSchema, type Settings, type SettingsInput } from './settings';
import { loadSettings, settingsItem } from './storage';

/**
 * Writes a change to the user's own settings (never the policy-merged ones, so a policy value is
 * not copied into local storage). Validates the whole result first: on error nothing is written.
 */
export async function updateSettings(patch: Partial<SettingsInput>): Promise<Settings> {
  const next = settingsSchema.parse({ ...(await loadSettings()).settings, ...patch });
  await settingsItem.setValue(next);
  return next;
}
