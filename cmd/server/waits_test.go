package main

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/proc"
)

// Onde cada thread espera (o wchan de cada uma, só no Linux). O modelo
// thread tem de mostrar o que o server.py mostra: com n clientes calados, n
// threads dentro de recv (wait_woken) e uma em accept (inet_csk_accept);
// quando eles falam, n threads em nanosleep (hrtimer_nanosleep). Depois que
// as conexões terminam, as n threads somem.
func TestThreadModelWaitsInKernel(t *testing.T) {
	t.Parallel()
	const n = 20
	s := e2e.StartServer(t, "server", "-modelo", "thread", "-delay", "3s", "-q")
	pid := s.Pid()
	w := e2e.WaitWaits(t, pid, 10*time.Second, "a thread principal dormindo em accept",
		func(w proc.Waits) bool { return w.Count("accept") == 1 })
	rest := w.Threads()
	t.Logf("em repouso: %v", w)
	// Como no server.py, quem dorme em accept é a thread principal do
	// processo (a de número igual ao PID): o LockOSThread do init a prende
	// antes de main começar.
	t.Logf("a thread principal (%d) em %s", pid, e2e.WaitThread(t, pid, pid, 10*time.Second, "accept"))

	conns := e2e.Hold(t, s.Addr, n)
	w = e2e.WaitWaits(t, pid, 10*time.Second, fmt.Sprintf("%d threads em recv e uma em accept", n),
		func(w proc.Waits) bool { return w.Count("recv") >= n && w.Count("accept") == 1 })
	t.Logf("%d clientes calados: %v", n, w)

	for i, c := range conns {
		if _, err := fmt.Fprintf(c, "Tarefa %d", i); err != nil {
			t.Fatal(err)
		}
	}
	w = e2e.WaitWaits(t, pid, 10*time.Second, fmt.Sprintf("%d threads em nanosleep e uma em accept", n),
		func(w proc.Waits) bool { return w.Count("sleep") >= n && w.Count("accept") == 1 })
	t.Logf("%d clientes esperando a resposta: %v", n, w)

	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		reply, err := io.ReadAll(c)
		if want := fmt.Sprintf("Processado: Tarefa %d", i); err != nil || string(reply) != want {
			t.Errorf("cliente %d: resposta %q (%v), esperava %q", i, reply, err, want)
		}
		c.Close() // o servidor, no fechamento com espera, espera este FIN
	}
	// As threads de atendimento terminam com as conexões. Sobram no máximo
	// umas poucas a mais que em repouso: threads que o runtime criou para
	// rodar goroutines enquanto as outras estavam presas no kernel e que ele
	// guarda ociosas (num futex) para depois.
	w = e2e.WaitWaits(t, pid, 10*time.Second, "as threads de atendimento terminarem",
		func(w proc.Waits) bool {
			return w.Count("recv") == 0 && w.Count("sleep") <= 1 && w.Threads() <= rest+n/4
		})
	t.Logf("depois: %v (%d threads em repouso no início)", w, rest)
}

// O modelo goroutine é o contraponto: com n clientes calados ou esperando a
// resposta, nenhuma thread dorme em recv nem em nanosleep por conexão — as
// goroutines esperam no netpoller e nos temporizadores do runtime, e as
// poucas threads do processo ficam em futex e em epoll_wait.
func TestGoroutineModelNoKernelWaits(t *testing.T) {
	t.Parallel()
	const n = 20
	s := e2e.StartServer(t, "server", "-modelo", "goroutine", "-delay", "3s")
	pid := s.Pid()
	conns := e2e.Hold(t, s.Addr, n)
	waitLines(t, s, "[NOVA CONEXÃO]", n)
	checkNoPerConnWaits(t, pid, n, "calados")

	for i, c := range conns {
		if _, err := fmt.Fprintf(c, "Tarefa %d", i); err != nil {
			t.Fatal(err)
		}
	}
	waitLines(t, s, "Processando: Tarefa", n)
	checkNoPerConnWaits(t, pid, n, "esperando a resposta")
}

// checkNoPerConnWaits lê o wchan de todas as threads 10 vezes. Nenhuma pode
// estar em recv nem em accept, e no máximo uma em nanosleep: o sysmon, a
// thread de vigia do runtime do Go, pausa entre uma ronda e outra com
// nanosleep (aparece em ~2% das leituras); uma por conexão seriam n.
func checkNoPerConnWaits(t *testing.T, pid, n int, what string) {
	t.Helper()
	w := e2e.WaitWaits(t, pid, 10*time.Second, "uma leitura sem ninguém em recv ou nanosleep",
		func(w proc.Waits) bool { return w.Count("recv")+w.Count("sleep") == 0 })
	t.Logf("modelo goroutine, %d clientes %s: %v", n, what, w)
	for range 10 {
		w, err := proc.WaitChannels(pid)
		if err != nil {
			t.Fatal(err)
		}
		if w.Count("recv") > 0 || w.Count("accept") > 0 || w.Count("sleep") > 1 {
			t.Fatalf("modelo goroutine, %d clientes %s: threads esperando no kernel por conexão: %v", n, what, w)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitLines espera (10 s no máximo) a saída do servidor ter n linhas com substr.
func waitLines(t *testing.T, s *e2e.Server, substr string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(s.Output(), substr) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d linhas %q em 10 s, esperava %d:\n%s", strings.Count(s.Output(), substr), substr, n, s.Output())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
