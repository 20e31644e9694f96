package main

// The API server rejects objects that miss required fields or use invalid names; a typed
// struct decodes them without complaint (an absent string is ""), so these checks add the
// rules of the kinds this chart renders, with apimachinery's own validators for names and labels.

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
)

func required(obj runtime.Object) []string {
	var p problems
	switch o := obj.(type) {
	case *appsv1.Deployment:
		p.meta(o.ObjectMeta, true)
		p.selector("spec.selector", o.Spec.Selector, o.Spec.Template.Labels)
		p.podSpec(o.Spec.Template.Spec)
	case *corev1.Service:
		p.meta(o.ObjectMeta, false)
		p.check(len(o.Spec.Ports) > 0, "spec.ports: required")
		for _, port := range o.Spec.Ports {
			p.port("spec.ports.port", port.Port)
		}
	case *corev1.ServiceAccount, *corev1.Secret, *corev1.ConfigMap:
		p.meta(*metaOf(obj), true)
	case *rbacv1.ClusterRole:
		p.meta(o.ObjectMeta, true)
		for _, r := range o.Rules {
			p.check(len(r.Verbs) > 0, "rules.verbs: required")
		}
	case *rbacv1.ClusterRoleBinding:
		p.meta(o.ObjectMeta, true)
		p.check(o.RoleRef.Kind != "" && o.RoleRef.Name != "" && o.RoleRef.APIGroup == rbacv1.GroupName, "roleRef: apiGroup, kind and name are required")
		for _, s := range o.Subjects {
			p.check(s.Kind != "" && s.Name != "", "subjects: kind and name are required")
			p.check(s.Kind != rbacv1.ServiceAccountKind || s.Namespace != "", "subjects: a ServiceAccount needs its namespace")
		}
	case *networkingv1.NetworkPolicy:
		p.meta(o.ObjectMeta, true)
		p.check(len(o.Spec.PolicyTypes) > 0, "spec.policyTypes: say which directions the policy covers")
		p.labelSelector("spec.podSelector", &o.Spec.PodSelector)
		for _, rule := range o.Spec.Ingress {
			p.peers(rule.From)
		}
		for _, rule := range o.Spec.Egress {
			p.peers(rule.To)
		}
	case *autoscalingv2.HorizontalPodAutoscaler:
		p.meta(o.ObjectMeta, true)
		p.check(o.Spec.ScaleTargetRef.Kind != "" && o.Spec.ScaleTargetRef.Name != "", "spec.scaleTargetRef: kind and name are required")
		p.check(o.Spec.MaxReplicas >= 1, "spec.maxReplicas: must be at least 1")
		p.check(o.Spec.MinReplicas == nil || *o.Spec.MinReplicas <= o.Spec.MaxReplicas, "spec.minReplicas: above maxReplicas")
	case *policyv1.PodDisruptionBudget:
		p.meta(o.ObjectMeta, true)
		p.check(o.Spec.Selector != nil, "spec.selector: required")
		p.check((o.Spec.MinAvailable == nil) != (o.Spec.MaxUnavailable == nil), "spec: exactly one of minAvailable and maxUnavailable")
	case *networkingv1.Ingress:
		p.meta(o.ObjectMeta, true)
		for _, rule := range o.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, path := range rule.HTTP.Paths {
				p.check(path.PathType != nil, "spec.rules.http.paths.pathType: required")
				p.check(path.Backend.Service != nil && path.Backend.Service.Name != "", "spec.rules.http.paths.backend.service.name: required")
			}
		}
	default:
		p.add("%T: a kind this chart is not expected to render (add its rules to required.go)", obj)
	}
	return p
}

type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }
func (p *problems) check(ok bool, msg string) {
	if !ok {
		p.add("%s", msg)
	}
}

func metaOf(obj runtime.Object) *metav1.ObjectMeta {
	switch o := obj.(type) {
	case *corev1.ServiceAccount:
		return &o.ObjectMeta
	case *corev1.Secret:
		return &o.ObjectMeta
	case *corev1.ConfigMap:
		return &o.ObjectMeta
	}
	return &metav1.ObjectMeta{}
}

func (p *problems) meta(m metav1.ObjectMeta, subdomain bool) {
	what := fmt.Sprintf("metadata.name %q", m.Name)
	errs := validation.IsDNS1035Label(m.Name) // Services: a DNS label starting with a letter
	if subdomain {
		errs = validation.IsDNS1123Subdomain(m.Name)
	}
	for _, e := range errs {
		p.add("%s: %s", what, e)
	}
	p.labels(what, m.Labels)
}

func (p *problems) labels(what string, l map[string]string) {
	for k, v := range l {
		for _, e := range validation.IsQualifiedName(k) {
			p.add("%s: label key %q: %s", what, k, e)
		}
		for _, e := range validation.IsValidLabelValue(v) {
			p.add("%s: label %q value %q: %s", what, k, v, e)
		}
	}
}

func (p *problems) labelSelector(what string, s *metav1.LabelSelector) {
	if _, err := metav1.LabelSelectorAsSelector(s); err != nil {
		p.add("%s: %v", what, err)
	}
	p.labels(what, s.MatchLabels)
}

func (p *problems) selector(what string, s *metav1.LabelSelector, podLabels map[string]string) {
	if s == nil {
		p.add("%s: required", what)
		return
	}
	p.labelSelector(what, s)
	sel, err := metav1.LabelSelectorAsSelector(s)
	if err == nil && (sel.Empty() || !sel.Matches(labels.Set(podLabels))) {
		p.add("%s: does not match the pod template's labels", what)
	}
}

func (p *problems) port(what string, port int32) {
	for _, e := range validation.IsValidPortNum(int(port)) {
		p.add("%s %d: %s", what, port, e)
	}
}

func (p *problems) podSpec(s corev1.PodSpec) {
	p.check(len(s.Containers) > 0, "spec.template.spec.containers: required")
	volumes := map[string]bool{}
	for _, v := range s.Volumes {
		volumes[v.Name] = true
	}
	for _, c := range s.Containers {
		for _, e := range validation.IsDNS1123Label(c.Name) {
			p.add("container name %q: %s", c.Name, e)
		}
		p.check(c.Image != "", fmt.Sprintf("container %q: image is required", c.Name))
		for _, port := range c.Ports {
			p.port("containerPort", port.ContainerPort)
		}
		for _, m := range c.VolumeMounts {
			p.check(volumes[m.Name], fmt.Sprintf("container %q: volume mount %q names no volume", c.Name, m.Name))
		}
		for _, e := range c.Env {
			for _, msg := range validation.IsEnvVarName(e.Name) {
				p.add("container %q: env %q: %s", c.Name, e.Name, msg)
			}
		}
	}
}

func (p *problems) peers(peers []networkingv1.NetworkPolicyPeer) {
	for _, peer := range peers {
		if peer.IPBlock != nil {
			p.check(peer.IPBlock.CIDR != "", "ipBlock.cidr: required")
			for _, msg := range validation.IsValidCIDR(nil, peer.IPBlock.CIDR) {
				p.add("ipBlock.cidr %q: %s", peer.IPBlock.CIDR, msg.Error())
			}
		}
		if peer.PodSelector != nil {
			p.labelSelector("podSelector", peer.PodSelector)
		}
		if peer.NamespaceSelector != nil {
			p.labelSelector("namespaceSelector", peer.NamespaceSelector)
		}
	}
}
