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
// parada encerrou a conexão antes disso; falhas = o resto. O primeiro
// cenário abaixo é a parada comum (a conexão em andamento termina, e o
// servidor sai logo depois dela, sem esperar o resto do prazo); os dois
// seguintes, as fronteiras da regra; o último, o segundo Ctrl-C.

// ShutdownRules roda, em paralelo, os quatro cenários da parada contra o
// programa cmd (com args antes das flags de cada cenário). started é a linha
// que o servidor imprime quando a conexão entra no delay.
func ShutdownRules(t *testing.T, cmd, started string, args ...string) {
	t.Helper()
	start := func(t *testing.T, delay, grace string) *Server {
		return StartServer(t, cmd, append(append([]string{}, args...), "-delay", delay, "-grace", grace)...)
	}
	t.Run("termina-no-prazo-e-logo", func(t *testing.T) {
		t.Parallel()
		stopFinishesPromptly(t, start(t, "300ms", "10s"), "Tarefa", started)
	})
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

// send conecta ao servidor e envia msg; a conexão tem 10 s de prazo.
func send(t *testing.T, s *Server, msg string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, msg); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c
}

// stopFinishesPromptly: a parada (SIGTERM; no Windows, CTRL_BREAK_EVENT) no
// meio do delay, com um -grace bem maior que ele. A conexão termina dentro
// do prazo (o cliente recebe a resposta e o FIN, e fecha), conta como
// atendida, e o servidor sai com 0 assim que ela termina: bem antes dos 10 s
// do prazo (o limite de 5 s deixa folga para uma máquina ocupada; quem
// esperasse o prazo inteiro levaria 10 s). Quem chama inicia o servidor com
// um delay curto e -grace 10s.
func stopFinishesPromptly(t *testing.T, s *Server, msg, started string) {
	t.Helper()
	c := send(t, s, msg)
	defer c.Close()
	s.WaitFor(t, started, 10*time.Second)
	begin := time.Now()
	if err := s.Terminate(); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c) // a resposta e o FIN do servidor, dentro do prazo
	if err != nil || len(reply) == 0 {
		t.Errorf("a conexão em andamento devia receber a resposta dentro do prazo: %q, %v", reply, err)
	}
	c.Close() // o fechamento com espera do servidor espera este FIN
	out, code, exited := s.WaitExit(9 * time.Second)
	el := time.Since(begin)
	if !exited || code != 0 || el > 5*time.Second {
		t.Errorf("depois do %s: terminou=%v código %d em %v; esperava 0, logo depois da conexão (bem antes do -grace de 10s)\n%s", stopName, exited, code, el, out)
	}
	if served, failed, interrupted, _ := ServerResumo(t, out); served != 1 || failed != 0 || interrupted != 0 {
		t.Errorf("a conexão terminou dentro do prazo: atendidas=%d falhas=%d interrompidas=%d, esperava 1 0 0", served, failed, interrupted)
	}
}

// stopWhileLingering: o cliente envia msg, recebe a resposta e o FIN do
// servidor e fica com o socket aberto — o servidor está no fechamento
// demorado, esperando o FIN do cliente (até 2 s). A parada (SIGTERM; no
// Windows, CTRL_BREAK_EVENT) com um -grace menor que isso: o prazo corta o
// fechamento, mas a conexão já foi atendida.
// Quem chama inicia o servidor com um delay curto e -grace < 2 s.
func stopWhileLingering(t *testing.T, s *Server, msg string) {
	t.Helper()
	c := send(t, s, msg)
	defer c.Close()
	reply, err := io.ReadAll(c) // até o FIN do servidor: ele já está no fechamento com espera
	if err != nil || len(reply) == 0 {
		t.Fatalf("resposta %q, erro %v", reply, err)
	}
	out := s.StopOK(t) // c continua aberto: o servidor ainda espera o FIN dele
	if !strings.Contains(out, "[PARANDO] Sinal recebido: não aceito mais conexões; 1 em andamento") {
		t.Errorf("no sinal, a conexão devia estar em andamento (no fechamento com espera):\n%s", out)
	}
	if served, failed, interrupted, _ := ServerResumo(t, out); served != 1 || failed != 0 || interrupted != 0 {
		t.Errorf("resposta entregue e fechamento com espera cortado pelo prazo: atendidas=%d falhas=%d interrompidas=%d, esperava 1 0 0", served, failed, interrupted)
	}
}

// stopDuringDelay: o cliente envia msg; quando o servidor imprime started
// (ele está no delay), a parada com um -grace menor que o resto do delay: a
// conexão é interrompida, não atendida nem falha. Quem chama inicia o
// servidor com um delay longo e -grace curto.
func stopDuringDelay(t *testing.T, s *Server, msg, started string) {
	t.Helper()
	c := send(t, s, msg)
	defer c.Close()
	s.WaitFor(t, started, 10*time.Second)
	begin := time.Now()
	out := s.StopOK(t)
	if el := time.Since(begin); el > 5*time.Second {
		t.Errorf("parar levou %v com -grace 200ms", el)
	}
	if served, failed, interrupted, _ := ServerResumo(t, out); served != 0 || failed != 0 || interrupted != 1 {
		t.Errorf("sinal no meio do delay, prazo menor que o resto dele: atendidas=%d falhas=%d interrompidas=%d, esperava 0 0 1", served, failed, interrupted)
	}
}

// secondSignalKills: com uma conexão em andamento (delay e -grace longos),
// o primeiro Ctrl-C (SIGINT; no Windows, o evento do console) começa a
// parada e o segundo termina o processo na hora, pela ação padrão do sinal,
// sem resumo. started é a linha que mostra a conexão no delay.
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
