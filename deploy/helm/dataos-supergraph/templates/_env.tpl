{{/* Variables of a Node service besides its own `env`: issuer, peers, store, identity, secrets. */}}
{{- define "dataos.serviceEnv" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $store := (get $root.Values.components $name).store | default "" -}}
{{- $v := $root.Values -}}
{{- $issuer := $v.oidc.issuer -}}
{{- if $v.components.devIssuer.enabled -}}
{{- $issuer = printf "http://%s:%v" (include "dataos.name" (dict "root" $root "name" "devIssuer")) $v.components.devIssuer.port -}}
{{- end -}}
- { name: OIDC_ISSUER, value: {{ required "oidc.issuer is required (or components.devIssuer.enabled)" $issuer | quote }} }
- { name: OIDC_AUDIENCE, value: {{ $v.oidc.audience | quote }} }
- { name: OIDC_ALLOW_INSECURE, value: {{ or $v.oidc.allowInsecure $v.components.devIssuer.enabled | quote }} }
- { name: HEIMDALL_URL, value: {{ include "dataos.url" (dict "root" $root "name" "heimdall") | quote }} }
{{- if has $name (list "odin" "gateway" "caretaker") }}
- { name: METIS_URL, value: {{ include "dataos.url" (dict "root" $root "name" "metis") | quote }} }
{{- end }}
{{- if eq $name "gateway" }}
- { name: ODIN_URL, value: {{ include "dataos.url" (dict "root" $root "name" "odin") | quote }} }
- { name: TRINO_USER, value: {{ $v.gateway.trinoUser | quote }} }
- { name: TRINO_IMPERSONATION, value: {{ $v.gateway.trinoImpersonation | quote }} }
- { name: GATEWAY_DUCKDB_TEMP_DIRECTORY, value: /tmp/duckdb }
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "TRINO_PASSWORD" "key" "trino-password") }}
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "GATEWAY_MASK_SECRET" "key" "gateway-mask-secret") }}
{{- end }}
{{- if eq $name "metis" }}
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "METIS_CURSOR_KEY" "key" "metis-cursor-key") }}
{{- /* Profiles run through the Gateway as Metis's principal; readers' min/max follow their masks there. */}}
- { name: METIS_GATEWAY_URL, value: {{ include "dataos.url" (dict "root" $root "name" "gateway") | quote }} }
{{- with $v.metis.profiles }}
- { name: METIS_PROFILES, value: {{ toJson . | quote }} }
{{- end }}
{{- /* The scan list is a plain value with no secret in it: each password is its own variable
      from the Secret, which the list names (passwordEnv). */}}
{{- with $v.metis.scans }}
{{- $list := list }}
{{- range $i, $scan := . }}
{{- $entry := pick $scan "depot" "type" "url" "catalog" "everySeconds" "comments" }}
{{- with $scan.passwordKey }}
{{- $_ := set $entry "passwordEnv" (printf "METIS_SCAN_%d_PASSWORD" $i) }}
{{- end }}
{{- $list = append $list $entry }}
{{- end }}
- { name: METIS_SCANS, value: {{ toJson $list | quote }} }
{{- range $i, $scan := . }}
{{- with $scan.passwordKey }}
{{- include "dataos.secretEnv" (dict "secret" $.secret "env" (printf "METIS_SCAN_%d_PASSWORD" $i) "key" .) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $name "caretaker" }}
- { name: CARETAKER_KUBE_IN_CLUSTER, value: {{ $v.caretaker.kubeInCluster | quote }} }
- { name: ARCHIVE_S3_BUCKET, value: {{ $v.caretaker.archive.bucket | quote }} }
{{- with $v.caretaker.archive.endpoint }}
- { name: ARCHIVE_S3_ENDPOINT, value: {{ . | quote }} }
{{- end }}
- { name: ARCHIVE_S3_FORCE_PATH_STYLE, value: {{ $v.caretaker.archive.forcePathStyle | quote }} }
- { name: ARCHIVE_S3_REGION, value: {{ $v.caretaker.archive.region | quote }} }
{{- with $v.caretaker.archive.prefix }}
- { name: ARCHIVE_S3_PREFIX, value: {{ . | quote }} }
{{- end }}
{{- /* Both keys or neither (then the SDK's default chain: a workload identity, say). */}}
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "ARCHIVE_S3_ACCESS_KEY_ID" "key" "s3-access-key-id") }}
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "ARCHIVE_S3_SECRET_ACCESS_KEY" "key" "s3-secret-access-key") }}
{{- end }}
{{- if eq $store "mongo" }}
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "MONGO_URL" "key" "mongo-url") }}
{{- with get $v.stores.mongo.databases $name }}
- { name: {{ upper $name }}_MONGO_DB, value: {{ . | quote }} }
{{- end }}
{{- end }}
{{- if eq $store "neo4j" }}
- { name: NEO4J_URI, value: {{ $v.stores.neo4j.uri | quote }} }
- { name: NEO4J_USER, value: {{ $v.stores.neo4j.user | quote }} }
- { name: NEO4J_DATABASE, value: {{ $v.stores.neo4j.database | quote }} }
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "NEO4J_PASSWORD" "key" "neo4j-password") }}
{{- end }}
{{- if eq $name "router" }}
{{- range $s := list "heimdall" "metis" "odin" "gateway" "caretaker" }}
- { name: SUBGRAPH_{{ upper $s }}_URL, value: {{ include "dataos.url" (dict "root" $root "name" $s) | quote }} }
{{- end }}
- { name: ROUTER_CLIENT_ID, value: {{ $v.serviceIdentity.clients.router | quote }} }
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "ROUTER_CLIENT_SECRET" "key" "router-client-secret") }}
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "METRICS_TOKEN" "key" "metrics-token") }}
{{- end }}
{{- /* Service identity (packages/service-identity): the same four variables everywhere. */}}
{{- /* The router is called by users, not services: it trusts nobody, and `required` there means
      only that it must have a client to send (it refuses to start without one). */}}
{{- $callers := include "dataos.trustedCallers" (dict "root" $root "name" $name) }}
- { name: SERVICE_IDENTITY, value: {{ $v.serviceIdentity.mode | quote }} }
- { name: SERVICE_CLIENT_ID, value: {{ required (printf "serviceIdentity.clients.%s is required" $name) (get $v.serviceIdentity.clients $name) | quote }} }
{{- include "dataos.secretEnv" (dict "secret" .secret "env" "SERVICE_CLIENT_SECRET" "key" (printf "%s-client-secret" $name)) }}
{{- with $callers }}
- { name: SERVICE_TRUSTED_CALLERS, value: {{ . | quote }} }
{{- end }}
{{- end -}}

{{- define "dataos.secretEnv" }}
- name: {{ .env }}
  valueFrom: { secretKeyRef: { name: {{ .secret }}, key: {{ .key }}, optional: true } }
{{- end -}}
