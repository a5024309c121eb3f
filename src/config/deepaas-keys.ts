// DEEPaaS's own INI keys: a config file shared with DEEPaaS may hold them, and they are not secrets.

/**
 * Keys that `deepaas-run` reads from the same `[DEFAULT]` section as `auth_bearer_token`:
 * its own options (`deepaas/config.py`, `deepaas/cmd/run.py`, older 1.x/2.x ones included) and
 * the oslo.log options it registers. bearer-guard ignores them, with a warning naming them.
 * @internal
 */
export const DEEPAAS_KEYS: ReadonlySet<string> = new Set([
  'listen_ip', 'listen_port', 'debug_endpoint', 'workers', 'client_max_size', 'warm', 'model_name',
  'base_path', 'predict_workers', 'train_workers', 'openwhisk_detect', 'config_dir',
  // oslo.log
  'debug', 'verbose', 'log_config_append', 'log_date_format', 'log_file', 'log_dir', 'watch_log_file',
  'use_syslog', 'use_journal', 'syslog_log_facility', 'use_json', 'use_stderr', 'use_eventlog',
  'log_color', 'log_rotate_interval', 'log_rotate_interval_type', 'max_logfile_count',
  'max_logfile_size_mb', 'log_rotation_type', 'logging_context_format_string',
  'logging_default_format_string', 'logging_debug_format_suffix', 'logging_exception_prefix',
  'logging_user_identity_format', 'default_log_levels', 'publish_errors', 'instance_format',
  'instance_uuid_format', 'rate_limit_interval', 'rate_limit_burst', 'rate_limit_except_level',
  'fatal_deprecations',
]);
