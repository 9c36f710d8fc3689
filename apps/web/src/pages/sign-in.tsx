import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ok, plain } from '../api/client';
import { pointer } from '../api/problem';
import { storeTokens } from '../api/session';
import { LanguageSwitch } from '../components/language-switch';
import { Alert, ProblemAlert } from '../components/basic';
import { Button, TextField } from '../components/ui';
import { useT } from '../i18n';

export function SignInPage() {
  const t = useT();
  const search = useSearch({ from: '/sign-in' });
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});

  const login = useMutation({
    mutationFn: (input: { username: string; password: string }) => ok(plain.auth.login.$post({ json: input })),
    onSuccess: async (tokens) => {
      storeTokens(tokens);
      qc.clear();
      await navigate({ to: search.redirect ?? '/inbox', replace: true });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const m = { username: username.trim() === '', password: password === '' };
    setMissing(m);
    if (m.username || m.password) return;
    login.mutate({ username: username.trim(), password });
  };

  const notice = search.reason
    ? { expired: t.signIn.sessionEnded, 'signed-out': t.signIn.signedOut, everywhere: t.signIn.signedOutEverywhere, password: t.signIn.passwordChanged }[
        search.reason
      ]
    : null;

  return (
    <main className="auth" id="main">
      <div className="spread">
        <div>
          <div className="logo">{t.app.name}</div>
          <p className="muted">{t.app.tagline}</p>
        </div>
        <LanguageSwitch />
      </div>
      <div className="card">
        <h1>{t.signIn.title}</h1>
        <p className="muted">{t.signIn.intro}</p>
        {notice && !login.error ? <Alert tone={search.reason === 'expired' ? 'warn' : 'info'}>{notice}</Alert> : null}
        <ProblemAlert error={login.error} placed={[pointer('username'), pointer('password')]} />
        <form onSubmit={onSubmit} noValidate>
          <TextField
            label={t.signIn.nip}
            description={t.signIn.nipHelp}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            name="username"
            isRequired
            problem={login.error}
            pointer={pointer('username')}
            error={missing.username ? t.signIn.required : undefined}
          />
          <TextField
            label={t.signIn.password}
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            name="password"
            isRequired
            problem={login.error}
            pointer={pointer('password')}
            error={missing.password ? t.signIn.required : undefined}
          />
          <Button type="submit" block isDisabled={login.isPending}>
            {login.isPending ? t.signIn.submitting : t.signIn.submit}
          </Button>
        </form>
      </div>
    </main>
  );
}
