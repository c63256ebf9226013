package e2e

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// A regra de contagem do [RESUMO SERVIDOR], a mesma em todos os servidores:
// atendidas = a resposta inteira foi entregue ao kernel; interrompidas = a
// parada encerrou a conexão antes disso; falhas = o resto. Os dois primeiros
// cenários abaixo são as fronteiras da regra; o terceiro, o segundo Ctrl-C.

// ShutdownRules roda, em paralelo, os três cenários da parada contra o
// programa cmd (com args antes das flags de cada cenário). started é a linha
// que o servidor imprime quando a conexão entra no delay.
func ShutdownRules(t *testing.T, cmd, started string, args ...string) {
	t.Helper()
	start := func(t *testing.T, delay, grace string) *Server {
		return StartServer(t, cmd, append(append([]string{}, args...), "-delay", delay, "-grace", grace)...)
	}
	t.Run("atendida-no-fechamento-demorado", func(t *testing.T) {
		t.Parallel()
		stopWhileLingering(t, start(t, "50ms", "300ms"), "Tarefa")
	})
	t.Run("interrompida-no-delay", func(t *testing.T) {
		t.Parallel()
		stopDuringDelay(t, start(t, "10s", "200ms"), "Tarefa", started)
	})
	t.Run("segundo-ctrl-c", func(t *testing.T) {
		t.Parallel()
		secondSignalKills(t, start(t, "60s", "120s"), started)
	})
}

// stopWhileLingering: o cliente envia msg, recebe a resposta e o FIN do
// servidor e fica com o socket aberto — o servidor está no fechamento
// demorado, esperando o FIN do cliente (até 2 s). A parada (SIGTERM; no
// Windows, CTRL_BREAK_EVENT) com um -grace menor que isso: o prazo corta o
// fechamento, mas a conexão já foi atendida.
// Quem chama inicia o servidor com um delay curto e -grace < 2 s.
func stopWhileLingering(t *testing.T, s *Server, msg string) {
	t.Helper()
	c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, msg); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c) // até o FIN do servidor: ele já está no fechamento demorado
	if err != nil || len(reply) == 0 {
		t.Fatalf("resposta %q, erro %v", reply, err)
	}
	out := s.StopOK(t) // c continua aberto: o servidor ainda espera o FIN dele
	if !strings.Contains(out, "[PARANDO] Sinal recebido: não aceito mais conexões; 1 em andamento") {
		t.Errorf("no sinal, a conexão devia estar em andamento (no fechamento demorado):\n%s", out)
	}
	if served, failed, interrupted, _ := ServerResumo(t, out); served != 1 || failed != 0 || interrupted != 0 {
		t.Errorf("resposta entregue e fechamento demorado cortado pelo prazo: atendidas=%d falhas=%d interrompidas=%d, esperava 1 0 0", served, failed, interrupted)
	}
}

// stopDuringDelay: o cliente envia msg; quando o servidor imprime started
// (ele está no delay), a parada com um -grace menor que o resto do delay: a
// conexão é interrompida, não atendida nem falha. Quem chama inicia o
// servidor com um delay longo e -grace curto.
func stopDuringDelay(t *testing.T, s *Server, msg, started string) {
	t.Helper()
	c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, msg); err != nil {
		t.Fatal(err)
	}
	s.WaitFor(t, started, 10*time.Second)
	out := s.StopOK(t)
	if served, failed, interrupted, _ := ServerResumo(t, out); served != 0 || failed != 0 || interrupted != 1 {
		t.Errorf("sinal no meio do delay, prazo menor que o resto dele: atendidas=%d falhas=%d interrompidas=%d, esperava 0 0 1", served, failed, interrupted)
	}
}

// secondSignalKills: com uma conexão em andamento (delay e -grace longos),
// o primeiro Ctrl-C (SIGINT; no Windows, o evento do console) começa a
// parada e o segundo termina o processo na hora, pela ação padrão do sinal,
// sem resumo. started é a linha que
// mostra a conexão no delay.
func secondSignalKills(t *testing.T, s *Server, started string) {
	t.Helper()
	c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "Tarefa")
	s.WaitFor(t, started, 10*time.Second)
	if err := s.ctrlC(); err != nil {
		t.Fatal(err)
	}
	s.WaitFor(t, "[PARANDO]", 10*time.Second) // o primeiro foi tratado
	if err := s.ctrlC(); err != nil {
		t.Fatal(err)
	}
	out, _, exited := s.WaitExit(5 * time.Second) // bem antes do -grace
	if !exited {
		t.Fatalf("ainda rodando 5 s depois do segundo Ctrl-C:\n%s", out)
	}
	if !endedByCtrlC(s.Cmd.ProcessState) {
		t.Errorf("o segundo Ctrl-C devia terminar o processo pela ação padrão do sinal; estado %v", s.Cmd.ProcessState)
	}
	if strings.Contains(out, "[RESUMO SERVIDOR]") {
		t.Errorf("o segundo Ctrl-C não espera o prazo nem imprime resumo:\n%s", out)
	}
}
