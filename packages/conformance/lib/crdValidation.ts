// Validates custom resources against their project's own CRD schema, strictly: a field the schema does not declare
// is an error (as `kubectl apply --validate=strict` reports it), so a guessed field cannot pass.
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { crdFiles } from './kubeApply.ts';
import type { K8sObject } from './manifests.ts';

const validators = new Map<string, ValidateFunction>();

/** The CRD's schema with `additionalProperties: false` wherever it lists properties and keeps no unknown fields. */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: any = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === 'properties'
      ? Object.fromEntries(
          Object.entries(value as object).map(([k, v]) => [k, strict(v)]),
        )
      : strict(value);
  }
  // OpenAPI 3.0 (what CRDs use) spells exclusive bounds as booleans next to minimum/maximum.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ]) {
    if (typeof copy[exclusive] === 'boolean') {
      if (copy[exclusive]) copy[exclusive] = copy[bound];
      else delete copy[exclusive];
      if (copy[exclusive] !== undefined) delete copy[bound];
    }
  }
  if (
    copy.properties &&
    copy.additionalProperties === undefined &&
    copy['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    copy.additionalProperties = false;
  }
  return copy;
}

function validatorFor(object: K8sObject): ValidateFunction | undefined {
  const [group, version] = object.apiVersion.split('/');
  const id = `${object.apiVersion}/${object.kind}`;
  if (!validators.has(id)) {
    const file = crdFiles().get(`${group}/${object.kind}`);
    if (!file) return undefined;
    const crd = YAML.parse(readFileSync(file, 'utf8'));
    const served = crd.spec.versions.find(
      (v: any) => v.name === version && v.served,
    );
    if (!served) return undefined;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    validators.set(id, ajv.compile(strict(served.schema.openAPIV3Schema)));
  }
  return validators.get(id);
}

/** Problems of `object` against its CRD (empty: valid); undefined when no CRD serves its apiVersion and kind. */
export function crdProblems(object: K8sObject): string[] | undefined {
  const validate = validatorFor(object);
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    e =>
      `${e.instancePath || '/'} ${e.message}${
        e.keyword === 'additionalProperties'
          ? ` (${(e.params as any).additionalProperty})`
          : ''
      }`,
  );
}
