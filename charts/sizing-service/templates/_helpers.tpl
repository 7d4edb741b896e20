{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "sizing-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sizing-service.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sizing-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sizing-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sizing-service.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "sizing-service.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "sizing-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sizing-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: repository:tag (the chart's appVersion when tag is empty), or @digest when set. */}}
{{- define "sizing-service.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
A Kubernetes quantity (values.schema.json's pattern: a decimal number with an optional suffix) in
base units, as a float: "250m" -> 0.25, "512Mi" -> 536870912, 2 -> 2.
*/}}
{{- define "sizing-service.quantity" -}}
{{- $text := toString . }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $text }}
{{- $suffix := trimPrefix $number $text }}
{{- $factors := dict "" 1.0 "n" 0.000000001 "u" 0.000001 "m" 0.001 "k" 1000.0 "M" 1000000.0 "G" 1000000000.0 "T" 1000000000000.0 "P" 1000000000000000.0 "E" 1000000000000000000.0 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- if or (eq $number "") (not (hasKey $factors $suffix)) }}
{{- fail (printf "%q is not a Kubernetes quantity" $text) }}
{{- end }}
{{- mulf (float64 $number) (get $factors $suffix) }}
{{- end }}

{{/* The fewest replicas the release runs with: autoscaling.minReplicas when the HPA is on, else replicaCount. */}}
{{- define "sizing-service.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ int64 .Values.autoscaling.minReplicas }}{{ else }}{{ int64 .Values.replicaCount }}{{ end }}
{{- end }}

{{/*
The rules across several values that values.schema.json (JSON Schema) cannot express; each stops
`helm install` / `helm template` with a message naming the values involved.
*/}}
{{- define "sizing-service.validate" -}}
{{- $v := .Values }}
{{- if and $v.autoscaling.enabled (gt (int64 $v.autoscaling.minReplicas) (int64 $v.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (int64 $v.autoscaling.minReplicas) (int64 $v.autoscaling.maxReplicas)) }}
{{- end }}
{{- $replicas := int64 (include "sizing-service.minReplicas" .) }}
{{- if and $v.podDisruptionBudget.enabled (ge (int64 $v.podDisruptionBudget.minAvailable) $replicas) }}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be below the replicas (%d, %s): otherwise no pod may ever be evicted and node drains hang" (int64 $v.podDisruptionBudget.minAvailable) $replicas (ternary "autoscaling.minReplicas" "replicaCount" $v.autoscaling.enabled)) }}
{{- end }}
{{- $drainMs := add (mul (int64 $v.preStopSleepSeconds) 1000) (int64 $v.config.shutdownDelayMs) (int64 $v.config.shutdownTimeoutMs) }}
{{- if lt (mul (int64 $v.terminationGracePeriodSeconds) 1000) $drainMs }}
{{- fail (printf "terminationGracePeriodSeconds (%d s) must cover preStopSleepSeconds + config.shutdownDelayMs + config.shutdownTimeoutMs (%d ms): the pod would be killed mid-drain" (int64 $v.terminationGracePeriodSeconds) $drainMs) }}
{{- end }}
{{- if eq (int64 $v.service.port) (int64 $v.service.metricsPort) }}
{{- fail (printf "service.metricsPort must differ from service.port (both %d)" (int64 $v.service.port)) }}
{{- end }}
{{- $requests := $v.resources.requests | default dict }}
{{- $limits := $v.resources.limits | default dict }}
{{- range $name, $request := $requests }}
{{- if hasKey $limits $name }}
{{- if gt (float64 (include "sizing-service.quantity" $request)) (float64 (include "sizing-service.quantity" (get $limits $name))) }}
{{- fail (printf "resources.requests.%s (%v) must not exceed resources.limits.%s (%v)" $name $request $name (get $limits $name)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
