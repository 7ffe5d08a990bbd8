# ---------------------------------------------------------------- NTLM --
# Issue 13: NTLM through Cyrus SASL's NTLM plugin (libsasl2-modules), as an Exchange receive connector offers it.
# To paste into testbed.sh (it uses its CONF_DIR, SASL_DIR, SASLDB, PORT, LOCAL_DOMAIN, RELAY_ADDR):
#   1. this block anywhere after the variables;
#   2. in write_sasl, after smtpd.conf is written:            write_ntlm_sasl
#   3. in write_master_cf, under the $RELAY_ADDR listener:    -o smtpd_sasl_path=smtpd-relay
#      and after the last listener:                           $(ntlm_master_cf)
#   4. add "$NTLM_ADDR" to the address lists of wait_listeners, do_status and the certificate's subjectAltName.
#
#   127.0.0.2:2525  the relay server also offers NTLM (AUTH PLAIN LOGIN CRAM-MD5 NTLM), through its own Cyrus
#                   application name "smtpd-relay", so the default server keeps its mechanisms.
#   127.0.0.4:2525  "NTLM-only" (banner ntlm.corp.test): an Exchange with Basic authentication turned off. Only
#                   NTLM, the relay server's policy: alice and bob relay after NTLM, mallory does not.
#
# Cyrus' NTLM server checks NTLMv2 responses against the sasldb password (userPassword), so the existing
# accounts need no change. Each listener's mechanisms come from $SASL_DIR/<smtpd_sasl_path>.conf.
NTLM_ADDR=127.0.0.4

write_ntlm_sasl() {
  put_file 0644 root:root "$SASL_DIR/smtpd-relay.conf" <<NTLMEOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN CRAM-MD5 NTLM
sasldb_path: $SASLDB
NTLMEOF
  put_file 0644 root:root "$SASL_DIR/smtpd-ntlm.conf" <<NTLMEOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: NTLM
sasldb_path: $SASLDB
NTLMEOF
}

# master.cf lines of the NTLM-only listener (relay policy of the relay server)
ntlm_master_cf() {
  cat <<NTLMEOF
# "NTLM-only" virtual server: Exchange with Basic authentication turned off
$NTLM_ADDR:$PORT   inet  n       -      n      -      -       smtpd
  -o syslog_name=$INSTANCE/ntlm
  -o myhostname=ntlm.$LOCAL_DOMAIN
  -o smtpd_sasl_path=smtpd-ntlm
  -o smtpd_delay_reject=no
  -o smtpd_client_restrictions=\$relay_server_client_restrictions
  -o smtpd_relay_restrictions=\$relay_server_relay_restrictions
NTLMEOF
}
