// Changes to the form that several sections make: choosing another product (which keeps what still
// applies) and taking an imported key (an access key pair brings its product, method and key ID).
import { useFormContext } from 'react-hook-form';
import { afterProductChange, startingProduct } from '../../../shared/connection-profile';
import { PRESETS, type PresetId } from '../../../shared/presets';
import type { TokenImport } from '../../../shared/types';
import { useFormExtras } from './form-context';
import type { FormValues } from './form-values';

/** A new product keeps what still applies (the shared rule: shared/connection-profile.ts). */
export function useChooseProduct(): (next: PresetId) => void {
  const { getValues, setValue } = useFormContext<FormValues>();
  return (next) => {
    const current = PRESETS[getValues('preset')];
    const after = afterProductChange(current, PRESETS[next], { method: getValues('authMethod'), identity: getValues('authIdentity') });
    if (getValues('endpoint') === current.endpoint) setValue('endpoint', '');
    setValue('preset', next, { shouldDirty: true });
    setValue('authMethod', after.method, { shouldDirty: true });
    setValue('authIdentity', after.identity, { shouldDirty: true });
  };
}

/** Takes an import into the form: an access key pair brings its product, method and key ID. */
export function useAcceptImport(): (result: TokenImport) => void {
  const { getValues, setValue, clearErrors } = useFormContext<FormValues>();
  const { setImported } = useFormExtras();
  const chooseProduct = useChooseProduct();
  return (result) => {
    setImported(result);
    setValue('apiToken', '');
    clearErrors('apiToken');
    if (result.kind === 'access-key-pair') {
      if (!PRESETS[getValues('preset')].methods.includes('passportal-hmac')) chooseProduct(startingProduct(result));
      setValue('authMethod', 'passportal-hmac', { shouldDirty: true });
      setValue('authIdentity', result.accessKeyId ?? '', { shouldDirty: true });
    }
    if (result.keyName) setValue('keyName', result.keyName, { shouldDirty: true });
  };
}
