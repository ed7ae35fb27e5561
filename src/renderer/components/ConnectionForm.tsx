import { zodResolver } from '@hookform/resolvers/zod';
import * as RadioGroup from '@radix-ui/react-radio-group';
import { useId } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { connectionInputSchema } from '../../shared/contract';
import type { ConnectionView } from '../../shared/types';
import { useKeybridge } from '../store';

const formSchema = z.object({
  name: connectionInputSchema.shape.name,
  serverAddress: connectionInputSchema.shape.serverAddress,
  apiToken: z.string(),
  verifyCertificate: z.enum(['yes', 'no']),
});
type FormValues = z.input<typeof formSchema>;

/** Which field a refusal from main belongs to. */
const FIELD_OF: Record<string, keyof FormValues> = {
  'invalid-address': 'serverAddress',
  'invalid-token': 'apiToken',
};

export function ConnectionForm({ connection }: { connection: ConnectionView | null }) {
  const saveAndTest = useKeybridge((s) => s.saveAndTest);
  const busy = useKeybridge((s) => s.busy);
  const ids = { name: useId(), address: useId(), token: useId(), verify: useId(), tokenHelp: useId(), verifyHelp: useId() };
  const hasToken = connection !== null && connection.tokenState !== 'missing' && connection.tokenState !== 'undecryptable';

  const {
    register,
    control,
    handleSubmit,
    setError,
    setValue,
    formState: { errors },
  } = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: {
      name: connection?.name ?? '',
      serverAddress: connection?.serverAddress ?? '',
      apiToken: '',
      verifyCertificate: connection?.verifyCertificate === false ? 'no' : 'yes',
    },
  });
  const tokenLength = useWatch({ control, name: 'apiToken' }).trim().length;
  const verify = useWatch({ control, name: 'verifyCertificate' });

  const onSubmit = handleSubmit(async (values) => {
    if (!hasToken && values.apiToken.trim() === '') {
      setError('apiToken', { message: 'Paste the API token from the token file you downloaded from the key manager.' });
      return;
    }
    const outcome = await saveAndTest({
      id: connection?.id,
      name: values.name,
      serverAddress: values.serverAddress,
      apiToken: values.apiToken,
      verifyCertificate: values.verifyCertificate === 'yes',
    });
    if (outcome.ok) {
      // The token now lives in main only: the field is emptied and shows the masked hint instead.
      setValue('apiToken', '');
      return;
    }
    setError(FIELD_OF[outcome.code] ?? 'root', { message: outcome.message });
  });

  const tokenHelp = hasToken
    ? `A token is saved (${connection?.tokenHint ?? '••••'}${connection?.tokenState === 'session-only' ? ', kept until Keybridge closes' : ''}). Paste a new one only to replace it.`
    : connection?.tokenState === 'undecryptable'
      ? 'The saved token can no longer be decrypted on this computer. Paste it again.'
      : 'The text in the token file downloaded from the key manager.';

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-label="Connection settings">
      <div className="field">
        <label htmlFor={ids.name}>Connection name</label>
        <input id={ids.name} {...register('name')} placeholder="e.g. Key Manager (production)" autoComplete="off" aria-invalid={errors.name ? true : undefined} />
        {errors.name ? <p className="field-error">{errors.name.message}</p> : null}
      </div>

      <div className="field">
        <label htmlFor={ids.address}>Server address</label>
        <input
          id={ids.address}
          {...register('serverAddress')}
          placeholder="keymanager.example.com or https://host:port"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.serverAddress ? true : undefined}
        />
        {errors.serverAddress ? <p className="field-error">{errors.serverAddress.message}</p> : <p className="field-help">Keybridge tests the API under /api/v3/ on this server, over HTTPS.</p>}
      </div>

      <div className="field">
        <label htmlFor={ids.token}>API token</label>
        <input
          id={ids.token}
          type="password"
          {...register('apiToken')}
          placeholder={hasToken ? 'Saved. Paste a new token to replace it' : 'Paste the API token'}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={ids.tokenHelp}
          aria-invalid={errors.apiToken ? true : undefined}
        />
        {errors.apiToken ? (
          <p className="field-error" id={ids.tokenHelp}>
            {errors.apiToken.message}
          </p>
        ) : (
          <p className="field-help" id={ids.tokenHelp}>
            {tokenLength > 0 ? `${tokenLength} characters pasted. Saved encrypted; never shown again.` : tokenHelp}
          </p>
        )}
      </div>

      <div className="field">
        <span className="label" id={ids.verify}>
          Verify certificate
        </span>
        <Controller
          control={control}
          name="verifyCertificate"
          render={({ field }) => (
            <RadioGroup.Root
              className="segmented"
              value={field.value}
              onValueChange={field.onChange}
              aria-labelledby={ids.verify}
              aria-describedby={ids.verifyHelp}
            >
              <RadioGroup.Item className="segment" value="yes">
                Yes
              </RadioGroup.Item>
              <RadioGroup.Item className="segment" value="no">
                No
              </RadioGroup.Item>
            </RadioGroup.Root>
          )}
        />
        <p className="field-help" id={ids.verifyHelp}>
          {verify === 'no'
            ? 'The certificate will not be checked. Use only for evaluation servers with self-signed certificates.'
            : 'Recommended. Choose No only for an evaluation server with a self-signed certificate.'}
        </p>
      </div>

      {errors.root ? (
        <div className="banner banner-error" role="alert">
          {errors.root.message}
        </div>
      ) : null}

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {busy === 'testing' ? 'Testing connection…' : 'Save and test connection'}
        </button>
      </div>
    </form>
  );
}
