import { useMutation, useQueryClient } from '@tanstack/react-query';
import { evaluationQuery } from '../../api/queries';

/**
 * A supervisor's command on one evaluation. Afterwards the evaluation, the inbox and the team lists are fetched
 * again (the command's answer is only `{ ok, phase }`); a refused command keeps its problem in `error`.
 */
export function useCommand<V>(evaluationId: string, send: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: evaluationQuery(evaluationId).queryKey }),
        qc.invalidateQueries({ queryKey: ['me', 'tasks'] }),
        qc.invalidateQueries({ queryKey: ['me', 'evaluations'] }),
      ]),
  });
}
