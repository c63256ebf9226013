package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// Etapa 1.1: os 3 clientes são atendidos um depois do outro, um delay de
// distância, nunca juntos.
func TestSequential(t *testing.T) {
	t.Parallel()
	const delay = 400 * time.Millisecond
	const slack = 30 * time.Millisecond // o RESUMO arredonda para centésimos
	s := e2e.StartServer(t, "serverbloq", "-delay", delay.String())
	out, r := e2e.RunClient(t, "client", "-port", fmt.Sprint(s.Port), "-n", "3", "-timeout", "10s")
	if r.Total != 3 || r.Count(0) != 3 {
		t.Fatalf("esperava 3 sucessos, RESUMO %v\n%s", r, out)
	}
	// p50 é o 2º a terminar, max o 3º: 2 e 3 delays depois da largada, e
	// um delay inteiro entre eles (se fossem atendidos juntos, ~0).
	if r.P50 < 2*delay-slack || r.Max < 3*delay-slack || r.Max-r.P50 < delay-slack {
		t.Errorf("respostas não sequenciais: p50=%v max=%v (delay %v)", r.P50, r.Max, delay)
	}
	sout := s.StopOK(t)
	// No log, cada [INÍCIO] vem depois do [FIM] anterior: nunca dois juntos.
	var seq []string
	for _, line := range strings.Split(sout, "\n") {
		switch {
		case strings.Contains(line, "[INÍCIO]"):
			seq = append(seq, "I")
		case strings.Contains(line, "[FIM]"):
			seq = append(seq, "F")
		}
	}
	if got := strings.Join(seq, ""); got != "IFIFIF" {
		t.Errorf("ordem de [INÍCIO]/[FIM] = %s, esperava IFIFIF:\n%s", got, sout)
	}
	if !strings.Contains(sout, fmt.Sprintf("(Isso vai demorar %v...)", delay)) {
		t.Errorf("a linha Processando devia mostrar o delay de verdade:\n%s", sout)
	}
	if served, failed, _, _ := e2e.ServerResumo(t, sout); served != 3 || failed != 0 {
		t.Errorf("atendidas=%d falhas=%d, esperava 3 e 0", served, failed)
	}
}

// Um cliente calado prenderia o serverbloq para sempre; -ocioso o fecha e
// libera a fila para o próximo.
func TestIdleFreesQueue(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "serverbloq", "-delay", "50ms", "-ocioso", "300ms")
	silent, err := net.Dial("tcp4", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	s.WaitFor(t, "[INÍCIO]", 5*time.Second)
	start := time.Now()
	reply, err := e2e.Exchange(s.Addr, []byte("Tarefa"), 5*time.Second)
	if err != nil || string(reply) != "Processado (com atraso): Tarefa" {
		t.Fatalf("cliente atrás do calado: %q, %v", reply, err)
	}
	if el := time.Since(start); el < 250*time.Millisecond {
		t.Errorf("atendido em %v: devia esperar o prazo -ocioso do calado (300ms)", el)
	}
	silent.SetReadDeadline(time.Now().Add(time.Second))
	if n, err := silent.Read(make([]byte, 16)); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("o calado devia ver EOF: n=%d err=%v", n, err)
	}
	out := s.StopOK(t)
	if !strings.Contains(out, "Erro: recv: prazo esgotado (300ms)") {
		t.Errorf("sem a linha do prazo -ocioso:\n%s", out)
	}
	if served, failed, _, _ := e2e.ServerResumo(t, out); served != 1 || failed != 1 {
		t.Errorf("atendidas=%d falhas=%d, esperava 1 e 1", served, failed)
	}
}

// Pedido de 64 KiB: resposta inteira e EOF limpo, nunca RST. Bytes
// inválidos e NUL: resposta intacta, log escapado.
func TestBigAndBinaryRequests(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "serverbloq", "-delay", "20ms")
	big := bytes.Repeat([]byte("x"), 64<<10)
	for i := range 5 {
		reply, err := e2e.Exchange(s.Addr, big, 10*time.Second)
		const p = "Processado (com atraso): "
		if err != nil || !bytes.HasPrefix(reply, []byte(p)) || len(reply) <= len(p) || len(reply) > len(p)+1024 ||
			!bytes.HasPrefix(big, reply[len(p):]) {
			t.Fatalf("pedido %d de 64 KiB: %d bytes de resposta, erro %v", i, len(reply), err)
		}
	}
	msg := []byte("\xff\x00é\n")
	reply, err := e2e.Exchange(s.Addr, msg, 5*time.Second)
	if want := append([]byte("Processado (com atraso): "), msg...); err != nil || !bytes.Equal(reply, want) {
		t.Errorf("resposta %q (%v), esperava %q", reply, err, want)
	}
	s.WaitFor(t, `Processando: \xff\x00é\n (Isso vai demorar`, 5*time.Second)
}

// Clientes que resetam (SO_LINGER 0): o servidor segue e não vaza
// descritores.
func TestResettingClients(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "serverbloq", "-delay", "5ms")
	before := e2e.SocketCount(t, s.Pid())
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp4", s.Addr)
			if err != nil {
				t.Error(err)
				return
			}
			if i%2 == 0 {
				c.Write([]byte("Tarefa"))
			}
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}()
	}
	wg.Wait()
	// A fila é FIFO: quando este pedido for respondido, as conexões
	// anteriores já passaram pelo laço sequencial.
	if _, err := e2e.Exchange(s.Addr, []byte("ainda vivo?"), 10*time.Second); err != nil {
		t.Fatalf("servidor não atende depois dos resets: %v", err)
	}
	// ... e espera (limitado) o [FIM] deste último: o close vem depois do EOF.
	deadline := time.Now().Add(5 * time.Second)
	for out := s.Output(); strings.Count(out, "[INÍCIO]") != strings.Count(out, "[FIM]"); out = s.Output() {
		if time.Now().After(deadline) {
			t.Fatalf("conexões sem [FIM]:\n%s", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	after := e2e.SocketCount(t, s.Pid())
	t.Logf("sockets: %d antes, %d depois de %d clientes que resetam", before, after, n)
	if after != before {
		t.Errorf("sockets: %d antes, %d depois", before, after)
	}
}

func TestPortInUseAndBadFlags(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "serverbloq")
	_, stderr, code := e2e.Run(t, 10*time.Second, "serverbloq", "-port", fmt.Sprint(s.Port))
	if code != 1 || !strings.Contains(stderr, "Erro: Porta em uso") {
		t.Errorf("porta em uso: código %d, stderr %q", code, stderr)
	}
	for _, args := range [][]string{{"-delay", "abc"}, {"-backlog", "-3"}, {"-ocioso", "-1s"}, {"-host", "::1"}} {
		_, stderr, code := e2e.Run(t, 10*time.Second, "serverbloq", args...)
		if code != 2 || stderr == "" || strings.Contains(stderr, "goroutine 1 [") {
			t.Errorf("serverbloq %v: código %d, stderr %q; esperava 2", args, code, stderr)
		}
	}
}
