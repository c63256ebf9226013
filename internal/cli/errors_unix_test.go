//go:build !windows

package cli

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

func TestListenErrorMessages(t *testing.T) {
	wrap := func(e error) error { return fmt.Errorf("bind: %w", e) }
	if m := ListenError(wrap(syscall.EADDRINUSE), "127.0.0.1", 65432); !strings.HasPrefix(m, "Erro: Porta em uso") {
		t.Errorf("EADDRINUSE: %q", m)
	}
	if m := ListenError(wrap(syscall.EACCES), "127.0.0.1", 80); !strings.Contains(m, "permissão negada") {
		t.Errorf("EACCES: %q", m)
	}
	if m := ListenError(errors.New("x"), "127.0.0.1", 1); !strings.Contains(m, "x") {
		t.Errorf("outro erro: %q", m)
	}
}
