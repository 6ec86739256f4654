package secrets

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string) // fills dir
		want    map[string]string
		wantErr string
	}{
		{
			name:  "empty dir",
			setup: func(*testing.T, string) {},
			want:  map[string]string{},
		},
		{
			name: "trailing newlines are trimmed, other whitespace kept",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "DB_PASSWORD", "s3cr3t\n")
				write(t, dir, "API_TOKEN", "tok\r\n")
				write(t, dir, "PADDED", "  spaced  \n\n")
				write(t, dir, "MULTI_LINE", "line1\nline2\n")
				write(t, dir, "EMPTY", "")
			},
			want: map[string]string{
				"DB_PASSWORD": "s3cr3t",
				"API_TOKEN":   "tok",
				"PADDED":      "  spaced  ",
				"MULTI_LINE":  "line1\nline2",
				"EMPTY":       "",
			},
		},
		{
			name: "kubernetes secret volume layout",
			setup: func(t *testing.T, dir string) {
				// kubelet writes ..<timestamp>/KEY, points ..data at it, and links KEY -> ..data/KEY.
				ts := filepath.Join(dir, "..2026_11_01_10_00_00.123456789")
				if err := os.Mkdir(ts, 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, ts, "DB_PASSWORD", "from-kubelet")
				symlink(t, filepath.Base(ts), filepath.Join(dir, "..data"))
				symlink(t, filepath.Join("..data", "DB_PASSWORD"), filepath.Join(dir, "DB_PASSWORD"))
			},
			want: map[string]string{"DB_PASSWORD": "from-kubelet"},
		},
		{
			name: "dotfiles and subdirectories are skipped",
			setup: func(t *testing.T, dir string) {
				write(t, dir, ".gitkeep", "")
				if err := os.Mkdir(filepath.Join(dir, "nested"), 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, filepath.Join(dir, "nested"), "IGNORED", "x")
				write(t, dir, "REDIS_URL", "redis://localhost:6379")
			},
			want: map[string]string{"REDIS_URL": "redis://localhost:6379"},
		},
		{
			name: "name that is not env-var-safe",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "db-password", "x")
			},
			wantErr: `"db-password" is not env-var-safe`,
		},
		{
			name: "dangling symlink",
			setup: func(t *testing.T, dir string) {
				symlink(t, "..data/GONE", filepath.Join(dir, "GONE"))
			},
			wantErr: "stat",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)

			got, err := Load(dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Load() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadMissingDirIsNotAnError(t *testing.T) {
	got, err := Load(filepath.Join(t.TempDir(), "does-not-exist"))
	if err != nil {
		t.Fatalf("Load() error = %v, want nil", err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("Load() = %#v, want an empty, non-nil map", got)
	}
}

func TestLoadDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	write(t, filepath.Dir(file), "file", "x")
	if _, err := Load(file); err == nil {
		t.Fatal("Load() on a regular file: want an error")
	}
}

func TestNames(t *testing.T) {
	got := Names(map[string]string{"B": "2", "A": "1", "C": "3"})
	if want := []string{"A", "B", "C"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if got := Names(nil); got == nil || len(got) != 0 {
		t.Errorf("Names(nil) = %#v, want an empty, non-nil slice", got)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
