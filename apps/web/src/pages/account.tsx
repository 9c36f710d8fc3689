import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { signOut, signOutEverywhere } from '../api/auth';
import { pointer } from '../api/problem';
import { meQuery, type Me } from '../api/queries';
import { Alert, PageHead, ProblemAlert } from '../components/basic';
import { ConfirmDialog } from '../components/dialog';
import { Button, Checkbox, RadioGroup, TextField } from '../components/ui';
import { storeTokens } from '../api/session';
import { dictionaries, useT } from '../i18n';
import { LANGS, type Lang } from '../i18n/lang';

type Channel = Me['notifications']['mutedChannels'][number];
/** The channels, as the dictionary (checked against the domain's list) names them. */
const CHANNELS = Object.keys(dictionaries.id.account.channel) as Channel[];

function NotificationSettings({ me }: { me: Me }) {
  const t = useT();
  const qc = useQueryClient();
  const [language, setLanguage] = useState<Lang>(me.notifications.language);
  const [muted, setMuted] = useState<Channel[]>(me.notifications.mutedChannels);
  const save = useMutation({
    mutationFn: () => ok(api.me['notification-settings'].$put({ json: { language, mutedChannels: muted } })),
    onSuccess: (notifications) => qc.setQueryData(meQuery.queryKey, (old) => (old ? { ...old, notifications } : old)),
  });
  return (
    <section className="card" aria-labelledby="notif-h">
      <h2 id="notif-h">{t.account.notificationSettings}</h2>
      <ProblemAlert error={save.error} placed={[pointer('language')]} />
      {save.isSuccess ? <Alert tone="ok">{t.app.saved}</Alert> : null}
      <RadioGroup
        label={t.account.notificationLanguage}
        value={language}
        onChange={setLanguage}
        options={LANGS.map((l) => ({ id: l, label: t.lang[l] }))}
        problem={save.error}
        pointer={pointer('language')}
      />
      <fieldset className="field" style={{ border: 0, padding: 0, margin: '0 0 14px' }}>
        <legend className="label">{t.account.channels}</legend>
        {CHANNELS.map((ch) => (
          <Checkbox key={ch} isSelected={!muted.includes(ch)} onChange={(on) => setMuted((m) => (on ? m.filter((x) => x !== ch) : [...m, ch]))}>
            {t.account.channel[ch]}
          </Checkbox>
        ))}
        <p className="help">
          {t.account.contactOnFile(me.notifications.email ?? '—', me.notifications.phone ?? '—')}. {t.account.contactHelp}
        </p>
      </fieldset>
      <Button onPress={() => save.mutate()} isDisabled={save.isPending}>
        {t.app.save}
      </Button>
    </section>
  );
}

/** The API's minimum (PasswordChangeInput); checked here too so the message comes before the request. */
const MIN_PASSWORD = 10;

function ChangePassword() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);
  const change = useMutation({
    mutationFn: () => ok(api.me.password.$put({ json: { currentPassword: current, newPassword: next } })),
    // every other session ended; this one goes on with the tokens the answer carries
    onSuccess: (tokens) => {
      storeTokens(tokens);
      setCurrent('');
      setNext('');
      setRepeat('');
      setChecked(false);
    },
  });
  const short = checked && next.length < MIN_PASSWORD;
  const differ = checked && repeat !== next;
  return (
    <section className="card" aria-labelledby="pw-h">
      <h2 id="pw-h">{t.account.changePassword}</h2>
      <ProblemAlert error={change.error} placed={[pointer('currentPassword'), pointer('newPassword')]} />
      {change.isSuccess ? <Alert tone="ok">{t.account.passwordChanged}</Alert> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setChecked(true);
          if (next.length >= MIN_PASSWORD && repeat === next && current) change.mutate();
        }}
      >
        <TextField
          label={t.account.currentPassword}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          problem={change.error}
          pointer={pointer('currentPassword')}
          error={checked && !current ? t.signIn.required : undefined}
          isRequired
        />
        <TextField
          label={t.account.newPassword}
          type="password"
          autoComplete="new-password"
          description={t.account.passwordMin(MIN_PASSWORD)}
          value={next}
          onChange={setNext}
          problem={change.error}
          pointer={pointer('newPassword')}
          error={short ? t.account.passwordMin(MIN_PASSWORD) : undefined}
          isRequired
        />
        <TextField
          label={t.account.confirmPassword}
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          error={differ ? t.account.passwordsDiffer : undefined}
          isRequired
        />
        <Button type="submit" isDisabled={change.isPending}>
          {t.account.changePassword}
        </Button>
      </form>
    </section>
  );
}

export function AccountPage() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  const [error, setError] = useState<unknown>(null);
  const run = (f: () => Promise<void>) => () => {
    setError(null);
    f().catch(setError);
  };
  return (
    <>
      <PageHead title={t.account.title} />
      <section className="card" aria-labelledby="profile-h">
        <h2 id="profile-h">{t.account.profile}</h2>
        <dl className="facts">
          <dt>{t.account.nip}</dt>
          <dd>{me.employee?.nip ?? me.user.username}</dd>
          {me.employee ? (
            <>
              <dt>{t.account.position}</dt>
              <dd>{me.employee.position}</dd>
              <dt>{t.account.unit}</dt>
              <dd>{me.employee.unit.name}</dd>
              <dt>{t.account.region}</dt>
              <dd>{me.employee.region.name}</dd>
            </>
          ) : null}
          <dt>{t.account.roles}</dt>
          <dd>{me.roles.map((r) => t.account.role[r]).join(', ')}</dd>
        </dl>
      </section>
      <NotificationSettings me={me} />
      <ChangePassword />
      <section className="card stack" aria-labelledby="sessions-h">
        <h2 id="sessions-h">{t.account.sessions}</h2>
        <ProblemAlert error={error} />
        <Button variant="secondary" onPress={run(signOut)}>
          {t.account.signOut}
        </Button>
        <p className="muted small">{t.account.signOutEverywhereHelp}</p>
        <ConfirmDialog
          triggerLabel={t.account.signOutEverywhere}
          title={t.account.confirmEverywhere}
          confirmLabel={t.account.signOutEverywhere}
          variant="danger"
          onConfirm={run(signOutEverywhere)}
        >
          <p>{t.account.signOutEverywhereHelp}</p>
        </ConfirmDialog>
      </section>
    </>
  );
}
