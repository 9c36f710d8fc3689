import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { saveDownload } from '../api/files';
import { useT } from '../i18n';
import type { Phase } from '@kinerja/domain';
import { ProblemAlert } from './basic';
import { Button } from './ui';

/** Download buttons for the SKP and the evaluation document (PDF, rendered by the API in the reader's language). */
export function Documents({ evaluationId, phase }: { evaluationId: string; phase: Phase }) {
  const t = useT();
  const skp = useMutation({ mutationFn: () => saveDownload(api.evaluations[':id'].documents['skp.pdf'].$get({ param: { id: evaluationId } }), 'SKP.pdf') });
  const evaluation = useMutation({
    mutationFn: () => saveDownload(api.evaluations[':id'].documents['evaluation.pdf'].$get({ param: { id: evaluationId } }), 'Evaluasi-Kinerja.pdf'),
  });
  return (
    <section className="card stack" aria-labelledby="docs-h">
      <h2 id="docs-h">{t.asn.year.documents}</h2>
      <ProblemAlert error={skp.error ?? evaluation.error} />
      <div className="row">
        <Button variant="secondary" onPress={() => skp.mutate()} isDisabled={skp.isPending}>
          {t.asn.year.downloadSkp}
        </Button>
        {phase !== 'TARGET_SETTING' ? (
          <Button variant="secondary" onPress={() => evaluation.mutate()} isDisabled={evaluation.isPending}>
            {t.asn.year.downloadEvaluation}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
