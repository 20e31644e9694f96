// helm-render renders a chart with Helm's own engine (helm.sh/helm/v4, as `helm template` does)
// and checks every object against the Kubernetes API types, with no cluster and no network:
//
//   - strict decoding through client-go's scheme: an unknown or duplicated field, a wrong type,
//     or a kind the API does not have is an error;
//   - the fields the API server requires that a typed struct cannot tell apart from "absent"
//     (names, images, selectors, ports, ...), checked by required.go.
//
// It prints one JSON document: {"objects": [...rendered objects...], "errors": [...]} and exits 1
// when there is an error, so `deploy/test` can both fail on it and read the objects.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

type output struct {
	// The chart's values with the given files merged in, as the templates saw them.
	Values  map[string]any   `json:"values"`
	Objects []map[string]any `json:"objects"`
	Errors  []string         `json:"errors"`
}

// Documents of a manifest are separated by a line holding only `---`.
var docSeparator = regexp.MustCompile(`(?m)^---\s*$`)

func main() {
	var files valueFiles
	chartDir := flag.String("chart", "", "chart directory")
	release := flag.String("release", "dataos", "release name")
	namespace := flag.String("namespace", "dataos", "release namespace")
	kubeVersion := flag.String("kube-version", "", "Kubernetes version to render for (default: Helm's, that of its client-go)")
	flag.Var(&files, "f", "values file (repeatable, later ones win)")
	flag.Parse()

	out := output{Objects: []map[string]any{}, Errors: []string{}}
	if err := render(*chartDir, *release, *namespace, *kubeVersion, files, &out); err != nil {
		out.Errors = append(out.Errors, err.Error())
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(out.Errors) > 0 {
		os.Exit(1)
	}
}

func render(chartDir, release, namespace, kubeVersion string, files []string, out *output) error {
	chrt, err := loader.Load(chartDir)
	if err != nil {
		return fmt.Errorf("load chart: %w", err)
	}
	caps := common.DefaultCapabilities.Copy()
	if kubeVersion != "" {
		kv, err := common.ParseKubeVersion(kubeVersion)
		if err != nil {
			return err
		}
		caps.KubeVersion = *kv
	}
	// As `helm template` (pkg/action, chartutil.IsCompatibleRange) does before rendering.
	if c := chrt.Metadata.KubeVersion; c != "" {
		constraint, err := semver.NewConstraint(c)
		if err != nil {
			return fmt.Errorf("Chart.yaml kubeVersion %q: %w", c, err)
		}
		if v, err := semver.NewVersion(caps.KubeVersion.String()); err != nil || !constraint.Check(v) {
			return fmt.Errorf("chart requires kubeVersion %s, which is incompatible with Kubernetes %s", c, caps.KubeVersion.String())
		}
	}
	vals := map[string]any{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		next := map[string]any{}
		if err := yaml.Unmarshal(data, &next); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		vals = loader.MergeMaps(vals, next)
	}
	opts := common.ReleaseOptions{Name: release, Namespace: namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValues(chrt, vals, opts, caps)
	if err != nil {
		return err
	}
	out.Values = top["Values"].(common.Values).AsMap()
	manifests, err := engine.Render(chrt, top)
	if err != nil {
		return err
	}

	// Strict: unknown and duplicated fields are errors, as `kubectl apply --validate=strict`.
	serializer := kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
		kjson.SerializerOptions{Yaml: true, Strict: true})
	names := make([]string, 0, len(manifests))
	for name := range manifests {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !strings.HasSuffix(name, ".yaml") {
			continue // NOTES.txt, helpers
		}
		for _, doc := range docSeparator.Split(manifests[name], -1) {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			obj, _, err := serializer.Decode([]byte(doc), nil, nil)
			if err != nil {
				out.Errors = append(out.Errors, fmt.Sprintf("%s: %v", name, err))
				// A strict-decoding error still yields the object: check the rest of it too.
				if !runtime.IsStrictDecodingError(err) || obj == nil {
					continue
				}
			}
			for _, problem := range required(obj) {
				out.Errors = append(out.Errors, fmt.Sprintf("%s: %s", name, problem))
			}
			generic := map[string]any{}
			if err := yaml.Unmarshal([]byte(doc), &generic); err != nil {
				return err
			}
			out.Objects = append(out.Objects, generic)
		}
	}
	return nil
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
