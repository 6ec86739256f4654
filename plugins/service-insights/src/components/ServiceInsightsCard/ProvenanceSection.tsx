import { ServiceInsight } from '@golden-path/common';
import { EntityLink } from '../shared';
import { Facts } from './Facts';

/** The template the component was generated from, and its version. */
export function ProvenanceSection(props: {
  template: NonNullable<ServiceInsight['template']>;
}) {
  const { template } = props;
  return (
    <Facts
      rows={[
        [
          'Template',
          <EntityLink entityRef={template.ref} defaultKind="template" />,
        ],
        ['Version', template.version],
      ]}
    />
  );
}
