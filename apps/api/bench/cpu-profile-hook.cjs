// Preloaded into a topology's processes by burst.bench.ts (NODE_OPTIONS=--require, where --cpu-prof is not allowed):
// profiles the process's main thread for its whole life and writes a .cpuprofile into kinerja_cpu_profile_dir when it
// exits (the variable is lower case: the apps' configs refuse unknown upper-case settings). The in-process inspector session answers synchronously, so the profile can be taken in the exit handler.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.kinerja_cpu_profile_dir;
if (dir && process.argv[1] && /dist[\\/]main\.js$/.test(process.argv[1])) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      const name = process.argv[1].split(/[\\/]/).slice(-3)[0];
      writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
