package outbuf

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"
)

var port = regexp.MustCompile(`rodando em 127\.0\.0\.1:(\d+)$`)

// Uma linha escrita em dois pedaços só é vista inteira: a porta nunca sai
// pela metade.
func TestWaitLineWholeLines(t *testing.T) {
	var b Buffer
	fmt.Fprint(&b, "[OUVINDO] Servidor rodando em 127.0.0.1:65")
	got := make(chan string, 1)
	go func() {
		line, err := b.WaitLine(port, nil, 10*time.Second)
		if err != nil {
			line = err.Error()
		}
		got <- line
	}()
	select {
	case l := <-got:
		t.Fatalf("achou %q numa linha incompleta", l)
	case <-time.After(50 * time.Millisecond):
	}
	fmt.Fprint(&b, "432\r\noutra linha\n")
	if l := <-got; l != "[OUVINDO] Servidor rodando em 127.0.0.1:65432" {
		t.Errorf("linha = %q", l)
	}
	if s := b.String(); s != "[OUVINDO] Servidor rodando em 127.0.0.1:65432\r\noutra linha\n" {
		t.Errorf("String = %q", s)
	}
}

// Processo que terminou: a última linha conta sem "\n"; se nada casar,
// ErrExited, sem esperar o prazo.
func TestWaitLineExited(t *testing.T) {
	exited := make(chan struct{})
	close(exited)
	var b Buffer
	fmt.Fprint(&b, "erro\nServidor rodando em 127.0.0.1:7")
	if l, err := b.WaitLine(port, exited, time.Minute); err != nil || l != "Servidor rodando em 127.0.0.1:7" {
		t.Errorf("última linha sem \\n: %q, %v", l, err)
	}
	var empty Buffer
	start := time.Now()
	if _, err := empty.WaitLine(port, exited, time.Minute); !errors.Is(err, ErrExited) || time.Since(start) > 10*time.Second {
		t.Errorf("processo terminado: %v depois de %v", err, time.Since(start))
	}
}

func TestWaitLineTimeout(t *testing.T) {
	var b Buffer
	fmt.Fprintln(&b, "nada aqui")
	if _, err := b.WaitLine(port, nil, 20*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Errorf("sem a linha: %v, queria ErrTimeout", err)
	}
}

// Escritas concorrentes (stdout e stderr copiados em goroutines) com alguém
// esperando: nada se perde (e -race não reclama).
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	done := make(chan struct{})
	for i := range 2 {
		go func() {
			for j := range 100 {
				fmt.Fprintf(&b, "w%d %d\n", i, j)
			}
			done <- struct{}{}
		}()
	}
	if _, err := b.WaitLine(regexp.MustCompile(`^w1 99$`), nil, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	<-done
	<-done
	if n := len(regexp.MustCompile(`(?m)^w\d \d+$`).FindAllString(b.String(), -1)); n != 200 {
		t.Errorf("%d linhas, queria 200", n)
	}
}
