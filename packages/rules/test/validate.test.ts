/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- the tests mutate documents freely to produce invalid ones */
import { describe, expect, it } from 'vitest';
import { nationalRuleSet, validateRuleSet, type RuleSetDocument } from '../src/index.js';

const clone = (): RuleSetDocument => structuredClone(nationalRuleSet);
/** national rule 3 is "Nilai SKP dari capaian"; rule 7 "Pembinaan ..." (matrixPredikat in [...]) */
function errorsOf(mutate: (d: Record<string, any>) => void) {
  const d = clone() as unknown as Record<string, any>;
  mutate(d);
  const r = validateRuleSet(d);
  expect(r.ok).toBe(false);
  return r.errors.map((e) => ({ pointer: e.pointer, code: e.code }));
}

describe('validateRuleSet', () => {
  it('reports every error with an RFC 6901 pointer, a code and messages in Indonesian and English', () => {
    const d = clone() as unknown as Record<string, any>;
    d.rules[0].conditions.all[0].fact = 'capaianRata';
    const r = validateRuleSet(d);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ pointer: '/rules/0/conditions/all/0/fact', code: 'UNKNOWN_FACT' });
    expect(r.errors[0]!.message).toContain('tidak ada dalam katalog fakta');
    expect(r.errors[0]!.messageEn).toContain('not in the fact catalog');
  });

  it('unknown fact, undeclared fact', () => {
    expect(errorsOf((d) => (d.rules[3].conditions.all[0].fact = 'nope'))).toEqual([{ pointer: '/rules/3/conditions/all/0/fact', code: 'UNKNOWN_FACT' }]);
    expect(errorsOf((d) => (d.rules[3].conditions.all[0].fact = 'attendanceRate'))).toEqual([
      { pointer: '/rules/3/conditions/all/0/fact', code: 'FACT_NOT_DECLARED' },
    ]);
    expect(errorsOf((d) => d.facts.push('bogus'))).toEqual([{ pointer: '/facts/5', code: 'UNKNOWN_FACT' }]);
  });

  it('unknown operator, operator not applicable, unsupported not', () => {
    expect(errorsOf((d) => (d.rules[1].conditions.all[1].operator = 'kurangDari'))).toEqual([
      { pointer: '/rules/1/conditions/all/1/operator', code: 'UNKNOWN_OPERATOR' },
    ]);
    expect(errorsOf((d) => (d.rules[7].conditions.all[0].operator = 'greaterThan'))).toEqual([
      { pointer: '/rules/7/conditions/all/0/operator', code: 'OPERATOR_NOT_APPLICABLE' },
    ]);
    expect(errorsOf((d) => (d.rules[0].conditions = { all: [{ not: { fact: 'capaianAvg', operator: 'lessThan', value: 1 } }] }))).toEqual([
      { pointer: '/rules/0/conditions/all/0/not', code: 'UNSUPPORTED_CONDITION' },
    ]);
  });

  it('unknown event type and bad outcome values', () => {
    expect(errorsOf((d) => (d.rules[0].event.type = 'setBonus'))).toEqual([{ pointer: '/rules/0/event/type', code: 'UNKNOWN_EVENT_TYPE' }]);
    expect(errorsOf((d) => (d.rules[0].event.params.rating = 'BAGUS'))).toEqual([{ pointer: '/rules/0/event/params/rating', code: 'INVALID_RATING' }]);
    expect(errorsOf((d) => (d.rules[6].event.params.flag = 'BONUS'))).toEqual([{ pointer: '/rules/6/event/params/flag', code: 'INVALID_FLAG' }]);
    expect(errorsOf((d) => (d.rules[3].event.params.component = 'bonus'))).toEqual([{ pointer: '/rules/3/event/params/component', code: 'UNKNOWN_COMPONENT' }]);
    expect(errorsOf((d) => (d.rules[3].event.params.value = 50))).toEqual([{ pointer: '/rules/3/event/params', code: 'SCORE_SOURCE' }]);
  });

  it('wrong value types: number fact vs string, rating outside the enum, enum values, ranges, params', () => {
    expect(errorsOf((d) => (d.rules[0].conditions.all[0].value = 'tinggi'))).toEqual([
      { pointer: '/rules/0/conditions/all/0/value', code: 'VALUE_TYPE_MISMATCH' },
    ]);
    expect(errorsOf((d) => d.rules[4].conditions.all.push({ fact: 'hasilKerjaRating', operator: 'equal', value: 'ISTIMEWA' }))).toEqual([
      { pointer: '/rules/4/conditions/all/1/value', code: 'INVALID_RATING' },
    ]);
    expect(errorsOf((d) => (d.rules[7].conditions.all[0].value = ['BAIK', 'CUKUP']))).toEqual([
      { pointer: '/rules/7/conditions/all/0/value/1', code: 'INVALID_ENUM_VALUE' },
    ]);
    expect(errorsOf((d) => (d.rules[0].conditions.all[0] = { fact: 'capaianAvg', operator: 'between', value: [110, 90] }))).toEqual([
      { pointer: '/rules/0/conditions/all/0/value', code: 'INVALID_RANGE' },
    ]);
    expect(errorsOf((d) => (d.rules[0].conditions.all[0].value = { param: 'tidakAda' }))).toEqual([
      { pointer: '/rules/0/conditions/all/0/value/param', code: 'UNKNOWN_PARAM' },
    ]);
  });

  it('unreachable rules: contradictory all-conditions on one fact', () => {
    expect(
      errorsOf(
        (d) =>
          (d.rules[0].conditions = {
            all: [
              { fact: 'capaianAvg', operator: 'greaterThan', value: 90 },
              { fact: 'capaianAvg', operator: 'lessThan', value: 50 },
            ],
          }),
      ),
    ).toEqual([{ pointer: '/rules/0/conditions/all/1', code: 'UNREACHABLE_RULE' }]);
    expect(
      errorsOf(
        (d) =>
          (d.rules[4].conditions = {
            all: [
              { fact: 'hasilKerjaRating', operator: 'equal', value: 'SESUAI' },
              { all: [{ fact: 'hasilKerjaRating', operator: 'ratingAtLeast', value: 'DI_ATAS' }] },
            ],
          }),
      ),
    ).toEqual([{ pointer: '/rules/4/conditions/all/1/all/0', code: 'UNREACHABLE_RULE' }]);
    expect(
      errorsOf(
        (d) =>
          (d.rules[3].conditions.all = [
            { fact: 'capaianAvg', operator: 'present', value: false },
            { fact: 'capaianAvg', operator: 'lessThan', value: 5 },
          ]),
      ),
    ).toEqual([{ pointer: '/rules/3/conditions/all/1', code: 'UNREACHABLE_RULE' }]);
    // catalog range: trainingHours is never negative
    expect(errorsOf((d) => (d.rules[9].conditions.all[0] = { fact: 'trainingHours', operator: 'lessThan', value: 0 }))).toEqual([
      { pointer: '/rules/9/conditions/all/0', code: 'UNREACHABLE_RULE' },
    ]);
  });

  it('contradictory outcomes: identical conditions, different predikat', () => {
    const conds = {
      all: [
        { fact: 'hasilKerjaRating', operator: 'equal', value: 'SESUAI' },
        { fact: 'perilakuRating', operator: 'equal', value: 'SESUAI' },
      ],
    };
    const swapped = { all: [conds.all[1], conds.all[0]] };
    expect(
      errorsOf((d) =>
        d.rules.push(
          { name: 'Predikat A', reason: 'alasan A', conditions: conds, event: { type: 'setPredikat', params: { predikat: 'BAIK' } } },
          { name: 'Predikat B', reason: 'alasan B', conditions: swapped, event: { type: 'setPredikat', params: { predikat: 'SANGAT_BAIK' } } },
        ),
      ),
    ).toEqual([{ pointer: '/rules/11/event/params', code: 'CONTRADICTORY_OUTCOME' }]);
  });

  it('calendar durations, weights, duplicate names, schema shape', () => {
    expect(errorsOf((d) => (d.params.calendar.appealWindow = '14 hari'))).toEqual([{ pointer: '/params/calendar/appealWindow', code: 'INVALID_DURATION' }]);
    expect(errorsOf((d) => (d.params.calendar.reportCutoff = '1d'))).toEqual([{ pointer: '/params/calendar/reportCutoff', code: 'CALENDAR_ORDER' }]);
    expect(errorsOf((d) => (d.params.weights.perilaku = 0.4))).toEqual([{ pointer: '/params/weights', code: 'WEIGHTS_SUM' }]);
    expect(errorsOf((d) => (d.params.weights = { hasilKerja: 0.7, perilaku: 0.2, bonus: 0.1 }))).toEqual([
      { pointer: '/params/weights/bonus', code: 'COMPONENT_WITHOUT_RULE' },
    ]);
    expect(errorsOf((d) => (d.rules[1].name = d.rules[0].name))).toEqual([{ pointer: '/rules/1/name', code: 'DUPLICATE_RULE_NAME' }]);
    expect(errorsOf((d) => (d.schemaVersion = 2))).toEqual([{ pointer: '/schemaVersion', code: 'INVALID_VALUE' }]);
    expect(errorsOf((d) => (d.rules[2].colour = 'red'))).toEqual([{ pointer: '/rules/2/colour', code: 'UNKNOWN_PROPERTY' }]);
    expect(errorsOf((d) => delete d.rules[2].reason)).toEqual([{ pointer: '/rules/2/reason', code: 'MISSING_PROPERTY' }]);
    expect(validateRuleSet(null).errors[0]!.code).toBe('INVALID_TYPE');
  });

  it('pointers escape ~ and / (RFC 6901)', () => {
    expect(errorsOf((d) => (d.params.weights = { 'a/b': 1 }))).toContainEqual({ pointer: '/params/weights/a~1b', code: 'INVALID_FORMAT' });
  });
});
