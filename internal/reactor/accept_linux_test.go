//go:build linux

package reactor

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// No Linux o accept pode devolver um erro de rede pendente da conexão nova
// (accept(2), NOTES). Isso não é falta de recurso: o laço pula a conexão e
// segue aceitando na mesma volta, sem aviso e sem pausa.
func TestAcceptSkipsLostConnections(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var logs []string
	opened := make(chan struct{}, 1)
	h := &fh{t: t, open: func(*Conn) { opened <- struct{}{} }}
	l, err := New(Config{Handler: h, Logf: func(f string, a ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(f, a...))
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	fake := []error{unix.ECONNABORTED, unix.ENETDOWN, unix.EPROTO, unix.ENOPROTOOPT, unix.EHOSTDOWN,
		unix.ENONET, unix.EHOSTUNREACH, unix.EOPNOTSUPP, unix.ENETUNREACH, unix.EINTR}
	l.accept = func(lfd int) (int, error) { // só na thread do laço
		if len(fake) > 0 {
			err := fake[0]
			fake = fake[1:]
			return -1, err
		}
		return accept(lfd)
	}
	port, err := l.Listen("127.0.0.1", 0, 8)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	defer func() { l.Stop(0); <-done }()
	c := dial(t, fmt.Sprintf("127.0.0.1:%d", port))
	defer c.Close()
	wait(t, opened, "OnOpen depois dos erros injetados")
	var left int
	var watching bool
	onLoop(t, l, func() { left, watching = len(fake), l.lwatch })
	mu.Lock()
	defer mu.Unlock()
	if left != 0 || !watching || len(logs) != 0 {
		t.Errorf("sobraram %d erros, socket de escuta vigiado=%v, avisos:\n%s", left, watching, strings.Join(logs, "\n"))
	}
}
