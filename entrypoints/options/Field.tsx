import type { Ref } from 'preact';
import { t } from '@/utils/i18n';

interface Props {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  /** Locale key of what is wrong with the value. */
  error?: string;
  hint?: string;
  /** Set by policy: shown, not editable. */
  locked?: boolean;
  type?: 'text' | 'password' | 'url' | 'number';
  autoComplete?: string;
  inputRef?: Ref<HTMLInputElement>;
  onChange?(value: string): void;
}

/** A labelled text field whose error, hint and lock are read out with it (aria-describedby). */
export function Field({ id, label, value, onInput, error, hint, locked, type = 'text', autoComplete = 'off', inputRef, onChange }: Props) {
  const described = [error && `${id}-error`, locked && `${id}-locked`, hint && `${id}-hint`].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type={type}
        value={value}
        autoComplete={autoComplete}
        spellcheck={false}
        disabled={locked}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
        onChange={onChange && ((event) => onChange(event.currentTarget.value))}
      />
      {locked && (
        <span id={`${id}-locked`} class="locked">
          {t('optionsLocked')}
        </span>
      )}
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} class="field-error">
          {t(error)}
        </span>
      )}
    </div>
  );
}
