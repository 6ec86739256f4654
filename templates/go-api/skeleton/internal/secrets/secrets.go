// Package secrets reads secrets mounted as files, one file per secret.
//
// The platform mounts a Kubernetes Secret (created by External Secrets
// Operator or written by the Vault agent) as a read-only volume at SECRETS_DIR;
// each key becomes a file named after it, e.g. /var/run/secrets/app/DB_PASSWORD.
// Locally, put the same files under ./.secrets (gitignored) and set
// SECRETS_DIR=./.secrets.
//
// Never log secret values; log Names(secrets) instead.
package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// maxSize guards against reading something that is not a secret by mistake.
const maxSize = 1 << 20

// validName is an env-var-safe secret name such as DB_PASSWORD.
var validName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Load reads every secret file in dir and returns name → value, with trailing
// newlines trimmed from each value.
//
// A missing dir is not an error (local development without secrets) and
// yields an empty map. Entries starting with "." are skipped: Kubernetes
// keeps its atomic-update machinery there (..data, ..2024_…). Symlinks are
// followed, which is how mounted Secret keys appear. A file name that is not
// env-var-safe is an error, so a wrongly named key fails at startup instead
// of being silently ignored.
func Load(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: read dir %s: %w", dir, err)
	}

	out := make(map[string]string, len(entries))
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path) // follows symlinks
		if err != nil {
			return nil, fmt.Errorf("secrets: stat %s: %w", path, err)
		}
		if info.IsDir() {
			continue
		}
		if !validName.MatchString(name) {
			return nil, fmt.Errorf("secrets: file %s: name %q is not env-var-safe (want letters, digits and _ like DB_PASSWORD)", path, name)
		}
		if info.Size() > maxSize {
			return nil, fmt.Errorf("secrets: file %s is larger than %d bytes", path, maxSize)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("secrets: read %s: %w", path, err)
		}
		out[name] = strings.TrimRight(string(b), "\r\n")
	}
	return out, nil
}

// Names returns the sorted secret names, safe to log.
func Names(secrets map[string]string) []string {
	names := make([]string, 0, len(secrets))
	for name := range secrets {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
