import { VERIFIER_SETTINGS } from '@dataos/auth';
import { LIMIT_SETTINGS, limitsOf, type OperationLimits } from '@dataos/operation-walker';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { SERVICE_IDENTITY_SETTINGS, serviceIdentityOf, type ServiceIdentitySettings } from '@dataos/service-identity';
import { SUBSCRIPTION_SETTINGS, subscriptionSettingsOf, type SubscriptionSettings } from './subscriptions/settings.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The kit's variables, the same at every subgraph. Each service spreads them into its own schema
 * (with its PORT) so that one start reports every bad variable, the kit's and its own, at once.
 */
export const KIT_SETTINGS = {
  HOST: setting.text({ default: '127.0.0.1' }),
  /** Request body limit (MAX_BODY_SIZE, as the router reads it: `1mb`, `512kb`, bytes). */
  MAX_BODY_SIZE: setting.bytes({ min: 1, default: 1024 * 1024 }),
  LOG_LEVEL: setting.oneOf(LOG_LEVELS, { default: 'info' }),
  ...LIMIT_SETTINGS,
  ...VERIFIER_SETTINGS,
  ...SUBSCRIPTION_SETTINGS,
  ...SERVICE_IDENTITY_SETTINGS,
};

export interface KitSettings {
  host: string;
  maxBodyBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  limits: OperationLimits;
  subscriptions: SubscriptionSettings;
  /** Who may call this subgraph (SERVICE_IDENTITY, SERVICE_TRUSTED_CALLERS); absent: off. */
  serviceIdentity?: ServiceIdentitySettings;
}

type KitValues = ReturnType<typeof parseSettings<typeof KIT_SETTINGS>>;

/** The kit's part of values parsed with a schema that spreads KIT_SETTINGS. */
export const kitSettingsOf = (v: KitValues): KitSettings => ({
  host: v.HOST,
  maxBodyBytes: v.MAX_BODY_SIZE,
  logLevel: v.LOG_LEVEL,
  limits: limitsOf(v),
  subscriptions: subscriptionSettingsOf(v),
  serviceIdentity: serviceIdentityOf(v),
});

export const kitSettingsFromEnv = (env: Env = process.env): KitSettings =>
  kitSettingsOf(parseSettings(KIT_SETTINGS, env));
