import { useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import type { Policy } from '@/utils/policy';
import { siteRuleSchema, type Settings, type SiteRule } from '@/utils/settings';
import { updateSettings } from '@/utils/update-settings';
import { Field } from './Field';

type RuleKind = 'selector' | 'attribute';
type RuleField = 'pattern' | 'value';

/** Whether the browser accepts a CSS selector: a bad one would throw in every content script. */
function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

function ruleText(rule: SiteRule): string {
  return rule.selector ? t('optionsRuleSelectorText', rule.selector) : t('optionsRuleAttributeText', rule.attribute ?? '');
}

/** Per site, a CSS selector or attribute that marks fields holding MyCreditApp IDs. */
export function SiteRulesSection({ effective, policy }: { effective: Settings; policy: Policy }) {
  const [pattern, setPattern] = useState('');
  const [kind, setKind] = useState<RuleKind>('selector');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Partial<Record<RuleField, string>>>({});
  const locked = policy.locked.includes('siteRules');

  const add = async (event: Event) => {
    event.preventDefault();
    const next: Partial<Record<RuleField, string>> = {};
    const parsed = siteRuleSchema.safeParse({ pattern, [kind]: value });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // The schema's own messages are locale keys; zod's built-in ones (length) are not.
        const key = issue.message.startsWith('settingsError') ? issue.message : 'optionsErrorInvalid';
        next[issue.path[0] === 'pattern' ? 'pattern' : 'value'] = key;
      }
    }
    if (!value.trim()) next.value = 'optionsErrorRequired';
    else if (kind === 'selector' && !isValidSelector(value.trim())) next.value = 'optionsErrorSelector';
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) {
      document.getElementById(next.pattern ? 'opt-rule-pattern' : 'opt-rule-value')?.focus();
      return;
    }
    await updateSettings({ siteRules: [...effective.siteRules, parsed.data] });
    setPattern('');
    setValue('');
  };

  const remove = (index: number) => {
    void updateSettings({ siteRules: effective.siteRules.filter((_, i) => i !== index) });
  };

  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t('optionsRulesHeading')}</h2>
      <p class="hint">{t('optionsRulesIntro')}</p>
      {locked && <p class="locked">{t('optionsLocked')}</p>}
      {effective.siteRules.length === 0 ? (
        <p class="hint">{t('optionsRulesEmpty')}</p>
      ) : (
        <ul class="plain item-list">
          {effective.siteRules.map((rule, index) => (
            <li key={`${rule.pattern} ${rule.selector ?? ''} ${rule.attribute ?? ''}`}>
              <span class="id">{rule.pattern}</span> <span>{ruleText(rule)}</span>
              {!locked && (
                <button type="button" onClick={() => remove(index)} aria-label={t('optionsRemoveRuleNamed', rule.pattern, ruleText(rule))}>
                  {t('optionsRemove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!locked && (
        <form onSubmit={(event) => void add(event)} noValidate class="inline-form">
          <Field
            id="opt-rule-pattern"
            label={t('optionsRulePatternLabel')}
            value={pattern}
            onInput={setPattern}
            error={errors.pattern}
            hint={t('optionsSitePatternHint')}
          />
          <div class="field">
            <label for="opt-rule-kind">{t('optionsRuleKindLabel')}</label>
            <select id="opt-rule-kind" value={kind} onChange={(event) => setKind(event.currentTarget.value as RuleKind)}>
              <option value="selector">{t('optionsRuleKindSelector')}</option>
              <option value="attribute">{t('optionsRuleKindAttribute')}</option>
            </select>
          </div>
          <Field
            id="opt-rule-value"
            label={kind === 'selector' ? t('optionsRuleSelectorLabel') : t('optionsRuleAttributeLabel')}
            value={value}
            onInput={setValue}
            error={errors.value}
          />
          <button type="submit">{t('optionsAddRule')}</button>
        </form>
      )}
    </section>
  );
}
