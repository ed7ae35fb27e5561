// TLS: how the server's certificate is trusted, all in one place: Verify certificate, the key pinned
// after "Trust this certificate" (with since when, and Forget), the OS store, extra CA certificates,
// and the client certificate for mutual TLS.
import * as RadioGroup from '@radix-ui/react-radio-group';
import { useState } from 'react';
import { Controller, useFormContext, useWatch } from 'react-hook-form';
import { formatDateTime } from '../../../shared/date-format';
import { PRESETS } from '../../../shared/presets';
import { useKeybridge } from '../../store';
import { wordsFor } from './auth-methods';
import { Field } from './Field';
import { useFormExtras } from './form-context';
import type { FormValues } from './form-values';
import { TrustFiles } from './TrustFiles';

const TRUST_VERDICTS: Record<string, string> = {
  'tls-self-signed': 'The last test found a self-signed certificate. Compare its fingerprint in the test result and trust it there, or add the CA certificate that issued it below.',
  'tls-untrusted-root': "The last test found a certificate from a CA this computer does not trust. Add that CA certificate below, or trust the server's certificate in the test result.",
  'tls-incomplete-chain': 'The server did not send its intermediate CA certificate. Ask for it to be installed on the server, or add it below.',
  'tls-pin-mismatch': "The server's key is no longer the pinned one. If the certificate was renewed with a new key, compare its fingerprint, forget the old key and trust the new one.",
};
const CLIENT_VERDICTS: Record<string, string> = {
  'tls-client-cert-required': 'The last test: the server asks for a client certificate. Choose the one the key manager issued for this portal.',
  'tls-client-cert-rejected': 'The last test: the server refused this client certificate. Check that it was issued by a CA the server trusts and has not expired.',
  'client-certificate-unusable': 'The last test: this client certificate could not be used. Choose it again with its passphrase.',
};

export function TlsSection() {
  const { control, register } = useFormContext<FormValues>();
  const { connection, hasSecret, imported, mark } = useFormExtras();
  const forget = useKeybridge((s) => s.forgetTrustedCertificate);
  const locked = useKeybridge((s) => s.busy !== null || (connection !== null && s.testingId === connection.id));
  const [forgetError, setForgetError] = useState<string | null>(null);
  const [verify, presetId, method, tokenText] = useWatch({ control, name: ['verifyCertificate', 'preset', 'authMethod', 'apiToken'] });
  const words = wordsFor(PRESETS[presetId], method);
  const verdict = connection?.lastTest?.verdict ?? '';
  const pinned = connection?.pinnedSpki ?? null;
  const sendsSavedSecretUnchecked = connection?.verifyCertificate === true && hasSecret && tokenText.trim() === '' && imported === null;

  const help = pinned
    ? 'While a key is pinned, only that key is accepted, whatever this setting says: the pin is checked instead of the CAs. Forget the key to use this setting again.'
    : verify === 'no'
      ? `The certificate will not be checked. Use only for an evaluation server with a self-signed certificate; trusting its certificate after a test is safer.${sendsSavedSecretUnchecked ? ` When you save, Keybridge asks before the saved ${words.secret} is sent unchecked.` : ''}`
      : 'Recommended. Choose No only for an evaluation server with a self-signed certificate, or trust its certificate after a test.';

  return (
    <>
      <Field
        group
        label="Verify certificate"
        name="verifyCertificate"
        className={mark?.field === 'verifyCertificate' ? 'is-marked' : undefined}
        note={mark?.field === 'verifyCertificate' && TRUST_VERDICTS[verdict] ? <p>{TRUST_VERDICTS[verdict]}</p> : null}
        help={help}
      >
        {(c) => (
          <Controller
            control={control}
            name="verifyCertificate"
            render={({ field }) => (
              <RadioGroup.Root className={`segmented${pinned ? ' is-overridden' : ''}`} value={field.value} onValueChange={field.onChange} aria-labelledby={c.id} aria-describedby={c['aria-describedby']}>
                <RadioGroup.Item className="segment" value="yes">
                  Yes
                </RadioGroup.Item>
                <RadioGroup.Item className="segment" value="no">
                  No
                </RadioGroup.Item>
              </RadioGroup.Root>
            )}
          />
        )}
      </Field>
      {/* Shown while the help above explains what the pin means for Verify certificate. */}
      {pinned && connection ? (
        <section className="pinned-key" aria-label="Pinned key">
          <div>
            <span className="label">Trusted certificate (pinned key)</span>
            <p className="mono fingerprint">{pinned}</p>
            <p className="field-help">{connection.pinnedAt ? `Pinned on ${formatDateTime(connection.pinnedAt)}.` : 'Pinned before Keybridge recorded when.'} Renewing the certificate with the same key keeps it trusted.</p>
            {forgetError ? <p className="field-error">{forgetError}</p> : null}
          </div>
          <button
            type="button"
            className="button button-small"
            disabled={locked}
            onClick={() =>
              void forget(connection.id).then((outcome) => {
                setForgetError(outcome.ok ? null : outcome.message);
                // The pin's box is gone: the work continues at Verify certificate, which decides again.
                if (outcome.ok) requestAnimationFrame(() => document.querySelector<HTMLElement>('[role="tabpanel"]:not([hidden]) [role="radio"][data-state="checked"]')?.focus());
              })
            }
          >
            Forget trusted certificate
          </button>
        </section>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" {...register('useSystemCa')} /> Also trust this computer's certificate store
      </label>
      {connection ? <TrustFiles connection={connection} clientMarked={mark?.field === 'clientCertificate' ? (CLIENT_VERDICTS[verdict] ?? null) : null} /> : <p className="field-help">Save the connection first to add CA or client certificates.</p>}
    </>
  );
}
