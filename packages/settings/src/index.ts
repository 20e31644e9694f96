import * as setting from './setting.js';

export { setting };
export { MAX_TIMER_MS, parseBytes, type Setting } from './setting.js';
export { parseSettings, settingsOrExit, type Env, type SettingsShape } from './parse.js';
export { SettingsError, describeProblem, type SettingsProblem } from './errors.js';
