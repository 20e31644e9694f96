{{/* Names: <release>-<component in kebab case>, e.g. dataos-router, dataos-dev-issuer. */}}
{{- define "dataos.name" -}}
{{- printf "%s-%s" .root.Release.Name (include "dataos.kebab" .name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dataos.selectorLabels" -}}
app.kubernetes.io/name: dataos-supergraph
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ include "dataos.kebab" .name }}
{{- end -}}

{{- define "dataos.labels" -}}
{{ include "dataos.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "dataos.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" .Release.Name) -}}
{{- end -}}

{{/*
A component's settings: `defaults` with each top-level key the component sets replacing it whole
(sprig's deep merges drop a `false` over a `true`, so `autoscaling: { enabled: false }` would not stick).
*/}}
{{- define "dataos.component" -}}
{{- $out := deepCopy .root.Values.defaults -}}
{{- range $k, $v := get .root.Values.components .name }}{{ $_ := set $out $k $v }}{{ end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "dataos.enabled" -}}
{{- $c := get .root.Values.components .name -}}
{{- if (hasKey $c "enabled" | ternary $c.enabled true) }}true{{ end -}}
{{- end -}}

{{/*
The architecture's paths, each one network allow (and, between services, one trusted caller):
the single list the NetworkPolicies and SERVICE_TRUSTED_CALLERS are rendered from. The README's
"Deploying on Kubernetes" diagram draws the same list; deploy/test checks the rendered policies
against it, so neither can drift. `from` and `to` name a component or an entry of `endpoints`.
*/}}
{{- define "dataos.edges" -}}
{{- $c := .Values.components -}}
{{- $issuer := ternary "devIssuer" "oidcIssuer" $c.devIssuer.enabled -}}
{{- $services := list "router" "heimdall" "metis" "odin" "gateway" "caretaker" -}}
edges:
- { from: ingressController, to: router }
{{- if $c.console.enabled }}
- { from: ingressController, to: console }
{{- end }}
{{- range $s := rest $services }}
- { from: router, to: {{ $s }} }
{{- end }}
{{- range $s := list "metis" "odin" "gateway" "caretaker" }}
- { from: {{ $s }}, to: heimdall }
{{- end }}
- { from: odin, to: metis }
- { from: gateway, to: metis }
- { from: caretaker, to: metis }
- { from: gateway, to: odin }
- { from: metis, to: gateway }
- { from: heimdall, to: mongo }
- { from: gateway, to: mongo }
- { from: caretaker, to: mongo }
- { from: metis, to: neo4j }
- { from: odin, to: neo4j }
- { from: gateway, to: trino }
- { from: caretaker, to: kubeApi }
- { from: caretaker, to: s3 }
{{- range $s := $services }}
- { from: {{ $s }}, to: {{ $issuer }} }
{{- end }}
{{- range $s := $services }}
- { from: {{ $s }}, to: dns }
{{- end }}
{{- /* Metis -> each source it scans (metis.scans), once per endpoint; none without scans. */}}
{{- $scanned := list -}}
{{- range $i, $scan := .Values.metis.scans -}}
{{- if or (hasKey $c $scan.endpoint) (not (hasKey $.Values.endpoints $scan.endpoint)) -}}
{{- fail (printf "metis.scans[%d].endpoint: %q is not an entry of endpoints" $i $scan.endpoint) -}}
{{- end -}}
{{- $scanned = append $scanned $scan.endpoint -}}
{{- end -}}
{{- range $e := uniq $scanned }}
{{- if not (has $e (list "neo4j" "dns" $issuer)) }}
- { from: metis, to: {{ $e }} }
{{- end }}
{{- end }}
{{- if .Values.metrics.enabled }}
- { from: monitoring, to: router }
{{- end }}
{{- if $c.devIssuer.enabled }}
- { from: devIssuer, to: dns }
{{- end }}
{{- end -}}

{{/* Ports of a peer: a component's port, or an endpoint's ports. */}}
{{- define "dataos.peerPorts" -}}
{{- if hasKey .root.Values.components .name -}}
- { port: {{ (get .root.Values.components .name).port }}, protocol: TCP }
{{- else -}}
{{- range (get .root.Values.endpoints .name).ports }}
- { port: {{ .port }}, protocol: {{ .protocol | default "TCP" }} }
{{- end -}}
{{- end -}}
{{- end -}}

{{/* NetworkPolicyPeers of a peer: a component's pods, or an endpoint's cidrs and selectors. */}}
{{- define "dataos.peers" -}}
{{- if hasKey .root.Values.components .name -}}
- podSelector:
    matchLabels:
      {{- include "dataos.selectorLabels" . | nindent 6 }}
{{- else -}}
{{- $e := get .root.Values.endpoints .name -}}
{{- if not (or $e.cidrs $e.namespaceSelector $e.podSelector) -}}
{{- fail (printf "endpoints.%s: set cidrs or namespaceSelector/podSelector (a network policy peer with neither allows every address)" .name) -}}
{{- end -}}
{{- range $e.cidrs }}
- ipBlock: { cidr: {{ . | quote }} }
{{- end }}
{{- if or $e.namespaceSelector $e.podSelector }}
- {{- with $e.namespaceSelector }}
  namespaceSelector: {{ toYaml . | nindent 4 }}
  {{- end }}
  {{- with $e.podSelector }}
  podSelector: {{ toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Client ids allowed to call a component: the services with an edge to it. */}}
{{- define "dataos.trustedCallers" -}}
{{- $ids := list -}}
{{- range (include "dataos.edges" .root | fromYaml).edges -}}
{{- if and (eq .to $.name) (hasKey $.root.Values.serviceIdentity.clients .from) -}}
{{- $ids = append $ids (get $.root.Values.serviceIdentity.clients .from) -}}
{{- end -}}
{{- end -}}
{{- join "," $ids -}}
{{- end -}}

{{- define "dataos.url" -}}
http://{{ include "dataos.name" . }}:{{ (get .root.Values.components .name).port }}/graphql
{{- end -}}

{{/* devIssuer -> dev-issuer, kubeApi -> kube-api, neo4j stays neo4j (sprig's kebabcase splits digits). */}}
{{- define "dataos.kebab" -}}
{{- regexReplaceAll "([a-z0-9])([A-Z])" . "${1}-${2}" | lower -}}
{{- end -}}
