// pss-oracle: reads Kubernetes objects (Pods and every pod-carrying workload) as a JSON array of
// {"object", "level", "version"} cases on stdin and prints, per case, the verdict of each check of
// k8s.io/pod-security-admission as that library applies it at the level and version, plus the
// library evaluator's own aggregate verdict. The policy pack's tests compare their rules with it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/pod-security-admission/admission"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// input is one case: an object as a program declares it, and the policy level and version to apply.
type input struct {
	Object  json.RawMessage `json:"object"`
	Level   string          `json:"level"`
	Version string          `json:"version"`
}

// checkVerdict is one check's outcome; Active is false when the level/version does not run the check
// (a restricted check under baseline, a baseline check a restricted one overrides, a check newer than the version).
type checkVerdict struct {
	Active  bool   `json:"active"`
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

type output struct {
	Error string `json:"error,omitempty"`
	// Allowed is the library evaluator's aggregate verdict (what the admission controller decides).
	Allowed bool                    `json:"allowed"`
	Checks  map[string]checkVerdict `json:"checks,omitempty"`
}

// newObject returns an empty typed object for a kind the admission controller extracts pods from.
func newObject(kind string) (runtime.Object, error) {
	switch kind {
	case "Pod":
		return &corev1.Pod{}, nil
	case "ReplicationController":
		return &corev1.ReplicationController{}, nil
	case "PodTemplate":
		return &corev1.PodTemplate{}, nil
	case "Deployment":
		return &appsv1.Deployment{}, nil
	case "StatefulSet":
		return &appsv1.StatefulSet{}, nil
	case "DaemonSet":
		return &appsv1.DaemonSet{}, nil
	case "ReplicaSet":
		return &appsv1.ReplicaSet{}, nil
	case "Job":
		return &batchv1.Job{}, nil
	case "CronJob":
		return &batchv1.CronJob{}, nil
	}
	return nil, fmt.Errorf("kind %q carries no pod", kind)
}

// defaultVolumes applies the one API-server default that changes a Pod Security verdict: a volume that
// names no source becomes an emptyDir (SetDefaults_Volume in k8s.io/kubernetes/pkg/apis/core/v1), so
// the admission controller never sees a sourceless volume.
func defaultVolumes(spec *corev1.PodSpec) {
	for i := range spec.Volumes {
		if (spec.Volumes[i].VolumeSource == corev1.VolumeSource{}) {
			spec.Volumes[i].EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	}
}

// defaultHostNetworkPorts applies the API server's default for Pods (SetDefaults_Pod, not pod
// templates): with host networking, every container port without a hostPort gets its containerPort.
func defaultHostNetworkPorts(spec *corev1.PodSpec) {
	if !spec.HostNetwork {
		return
	}
	for _, containers := range [][]corev1.Container{spec.Containers, spec.InitContainers} {
		for i := range containers {
			for j := range containers[i].Ports {
				if containers[i].Ports[j].HostPort == 0 {
					containers[i].Ports[j].HostPort = containers[i].Ports[j].ContainerPort
				}
			}
		}
	}
}

// versionedCheck is the variant of a check in force at a version (the newest one not newer), if any.
func versionedCheck(check policy.Check, version api.Version) (policy.VersionedCheck, bool) {
	var found policy.VersionedCheck
	ok := false
	for _, v := range check.Versions {
		if version.Latest() || !version.Older(v.MinimumVersion) {
			found, ok = v, true
		}
	}
	return found, ok
}

func evaluate(evaluator policy.Evaluator, checks []policy.Check, in input) output {
	var meta struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(in.Object, &meta); err != nil {
		return output{Error: err.Error()}
	}
	obj, err := newObject(meta.Kind)
	if err != nil {
		return output{Error: err.Error()}
	}
	if err := json.Unmarshal(in.Object, obj); err != nil {
		return output{Error: err.Error()}
	}
	podMeta, podSpec, err := admission.DefaultPodSpecExtractor{}.ExtractPodSpec(obj)
	if err != nil || podSpec == nil {
		return output{Error: fmt.Sprintf("no pod spec: %v", err)}
	}
	if podMeta == nil {
		podMeta = &metav1.ObjectMeta{}
	}
	defaultVolumes(podSpec)
	if meta.Kind == "Pod" {
		defaultHostNetworkPorts(podSpec)
	}
	level, err := api.ParseLevel(in.Level)
	if err != nil {
		return output{Error: fmt.Sprintf("level %q %v", in.Level, err)}
	}
	version, err := api.ParseVersion(in.Version)
	if err != nil {
		return output{Error: fmt.Sprintf("version %q %v", in.Version, err)}
	}
	lv := api.LevelVersion{Level: level, Version: version}

	// Which checks run at this level and version, with the library's override rule: a restricted
	// check in force replaces the baseline checks it names.
	inForce := map[policy.CheckID]policy.VersionedCheck{}
	overridden := map[policy.CheckID]bool{}
	for _, check := range checks {
		if level == api.LevelPrivileged || (check.Level == api.LevelRestricted && level != api.LevelRestricted) {
			continue
		}
		if v, ok := versionedCheck(check, version); ok {
			inForce[check.ID] = v
			for _, id := range v.OverrideCheckIDs {
				overridden[id] = true
			}
		}
	}
	out := output{Checks: map[string]checkVerdict{}}
	failed := 0
	for _, check := range checks {
		v, ok := inForce[check.ID]
		if !ok || overridden[check.ID] {
			out.Checks[string(check.ID)] = checkVerdict{Active: false, Allowed: true}
			continue
		}
		result := v.CheckPod(podMeta, podSpec)
		if !result.Allowed {
			failed++
		}
		out.Checks[string(check.ID)] = checkVerdict{Active: true, Allowed: result.Allowed, Reason: result.ForbiddenReason, Detail: result.ForbiddenDetail}
	}
	aggregate := policy.AggregateCheckResults(evaluator.EvaluatePod(lv, podMeta, podSpec))
	out.Allowed = aggregate.Allowed
	if len(aggregate.ForbiddenReasons) != failed {
		// The per-check view must add up to the evaluator's own: a mismatch means this program
		// selects checks differently from the library, and its per-check answers cannot be trusted.
		out.Error = fmt.Sprintf("oracle selected checks differently from the evaluator: %d failing checks vs %v", failed, aggregate.ForbiddenReasons)
	}
	return out
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--checks" {
		// The library's check IDs with their level and versions, for the catalogue test.
		type version struct {
			Minimum   string   `json:"minimum"`
			Overrides []string `json:"overrides,omitempty"`
		}
		type described struct {
			ID       string    `json:"id"`
			Level    string    `json:"level"`
			Versions []version `json:"versions"`
		}
		var list []described
		for _, check := range policy.DefaultChecks() {
			d := described{ID: string(check.ID), Level: string(check.Level)}
			for _, v := range check.Versions {
				overrides := make([]string, 0, len(v.OverrideCheckIDs))
				for _, id := range v.OverrideCheckIDs {
					overrides = append(overrides, string(id))
				}
				d.Versions = append(d.Versions, version{Minimum: v.MinimumVersion.String(), Overrides: overrides})
			}
			list = append(list, d)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		_ = json.NewEncoder(os.Stdout).Encode(list)
		return
	}
	var cases []input
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintf(os.Stderr, "pss-oracle: stdin must be a JSON array of {object, level, version}: %v\n", err)
		os.Exit(2)
	}
	checks := policy.DefaultChecks()
	evaluator, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pss-oracle: %v\n", err)
		os.Exit(1)
	}
	results := make([]output, 0, len(cases))
	for _, c := range cases {
		results = append(results, evaluate(evaluator, checks, c))
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintf(os.Stderr, "pss-oracle: %v\n", err)
		os.Exit(1)
	}
}
