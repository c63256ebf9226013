package main

// Testes de ponta a ponta: o clientenervoso de verdade (compilado por
// internal/e2e) contra servidores falsos escritos aqui mesmo com o pacote
// net, cada um com um comportamento (responde depois de um atraso, fecha sem
// responder, responde aos pedaços, manda 1 MiB...). Só 127.0.0.1.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/summary"
)

// e2e.Run já roda os programas com GORACE=atexit_sleep_ms=0.
func TestMain(m *testing.M) { e2e.Main(m) }

// fakeServer aceita conexões em 127.0.0.1:porta-livre e entrega cada uma a
// handle numa goroutine. Ao fim do teste fecha o listener e espera os
// handlers (que devem terminar sozinhos em poucos segundos).
type fakeServer struct {
	ln       net.Listener
	port     string
	accepted atomic.Int64
	received atomic.Int64 // bytes lidos por readMsg
}

func serve(t *testing.T, handle func(s *fakeServer, c net.Conn)) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{ln: ln, port: strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.accepted.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second)) // nada aqui fica pendurado
				handle(s, c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return s
}

// readMsg lê a mensagem do cliente (um read, como recv(1024)).
func (s *fakeServer) readMsg(c net.Conn) []byte {
	buf := make([]byte, 1024)
	n, _ := c.Read(buf)
	s.received.Add(int64(n))
	return buf[:n]
}

// finish faz o que os servidores do projeto fazem depois de responder:
// fecha a escrita (o cliente vê EOF) e drena a entrada antes de fechar.
func finish(c net.Conn) {
	c.(*net.TCPConn).CloseWrite()
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	io.Copy(io.Discard, c)
}

// delayed responde "Processado: MSG" depois de d, como o server.py.
func delayed(d time.Duration) func(*fakeServer, net.Conn) {
	return func(s *fakeServer, c net.Conn) {
		msg := s.readMsg(c)
		time.Sleep(d)
		c.Write(append([]byte("Processado: "), msg...))
		finish(c)
	}
}

// freePort devolve uma porta onde ninguém escuta.
func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	return p
}

// run roda o clientenervoso, exige código 0 e o RESUMO na última linha de stdout.
func run(t *testing.T, args ...string) (stdout, stderr string, r summary.Resumo) {
	t.Helper()
	stdout, stderr, code := e2e.Run(t, 60*time.Second, "clientenervoso", args...)
	if code != 0 {
		t.Fatalf("clientenervoso %v saiu com %d:\n%s%s", args, code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	r, err := summary.Parse(lines[len(lines)-1])
	if err != nil {
		t.Fatalf("a última linha de stdout não é o RESUMO: %v\n%s", err, stdout)
	}
	return stdout, stderr, r
}

func counts(r summary.Resumo) string {
	var b strings.Builder
	for o := summary.Success; o <= summary.Other; o++ {
		fmt.Fprintf(&b, "%s=%d ", o.Key(), r.Count(o))
	}
	return b.String()
}

func TestAllSucceedAgainstConcurrentServer(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	s := serve(t, delayed(delay))
	out, _, r := run(t, "-port", s.port, "-n", "10")
	if r.Total != 10 || r.Count(summary.Success) != 10 {
		t.Fatalf("esperava 10 sucessos: %s\n%s", counts(r), out)
	}
	if r.P50 < delay || r.Max > delay+2*time.Second {
		t.Errorf("p50=%v max=%v; esperava perto de %v", r.P50, r.Max, delay)
	}
	for _, want := range []string{
		"--- INICIANDO ATAQUE DE 10 CLIENTES SIMULTÂNEOS ---",
		"[CLIENTE 07] 🟡 Tentando entrar...",
		"[CLIENTE 07] 🟢 Conectou! Esperando resposta...",
		"[CLIENTE 07] 🏆 SUCESSO: Processado: Tarefa do Cliente 7\n",
		"[CLIENTE 10] 🏆 SUCESSO: Processado: Tarefa do Cliente 10\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("a saída não tem %q:\n%s", want, out)
		}
	}
	if n := s.accepted.Load(); n != 10 {
		t.Errorf("o servidor aceitou %d conexões", n)
	}
}

func TestNothingListeningIsRefused(t *testing.T) {
	t.Parallel()
	out, _, r := run(t, "-port", freePort(t), "-n", "5")
	if r.Count(summary.Refused) != 5 {
		t.Fatalf("esperava 5 recusados: %s\n%s", counts(r), out)
	}
	if r.P50 >= 0 {
		t.Errorf("sem sucesso, p50 deveria ser '-': %v", r.P50)
	}
	if !strings.Contains(out, "[CLIENTE 03] ⛔ RECUSADO: ") {
		t.Errorf("falta a linha de recusa:\n%s", out)
	}
}

func TestIDsPaddedToWidthOfN(t *testing.T) {
	t.Parallel()
	out, _, _ := run(t, "-port", freePort(t), "-n", "100", "-connect-timeout", "1s")
	if !strings.Contains(out, "[CLIENTE 007] 🟡") || !strings.Contains(out, "[CLIENTE 100] 🟡") {
		t.Fatalf("ids deveriam ter 3 dígitos com -n 100:\n%.500s", out)
	}
}

// Um servidor que aceita e fecha sem responder: com FIN, "erro" (fechou sem
// responder); com RST (SO_LINGER 0), "resetado".
func TestServerClosesWithoutReply(t *testing.T) {
	t.Parallel()
	fin := serve(t, func(s *fakeServer, c net.Conn) { s.readMsg(c) })
	rst := serve(t, func(s *fakeServer, c net.Conn) {
		s.readMsg(c)
		c.(*net.TCPConn).SetLinger(0)
	})
	out, _, r := run(t, "-port", fin.port, "-n", "4", "-timeout", "5s")
	if r.Count(summary.Other) != 4 || !strings.Contains(out, "❌ ERRO: o servidor fechou a conexão sem responder") {
		t.Errorf("FIN sem resposta: %s\n%s", counts(r), out)
	}
	out, _, r = run(t, "-port", rst.port, "-n", "4", "-timeout", "5s")
	if r.Count(summary.Reset) != 4 || !strings.Contains(out, "💥 RESETADO") {
		t.Errorf("RST sem resposta: %s\n%s", counts(r), out)
	}
}

// pieces responde "Processado: MSG" em k pedaços, um a cada gap.
func pieces(k int, gap time.Duration) func(*fakeServer, net.Conn) {
	return func(s *fakeServer, c net.Conn) {
		reply := append([]byte("Processado: "), s.readMsg(c)...)
		for i := range k {
			if _, err := c.Write(reply[i*len(reply)/k : (i+1)*len(reply)/k]); err != nil {
				return
			}
			time.Sleep(gap)
		}
		finish(c)
	}
}

func TestSlowReplyInPieces(t *testing.T) {
	t.Parallel()
	// Cinco pedaços em ~0,5 s, dentro do prazo: sucesso com a resposta inteira.
	s := serve(t, pieces(5, 100*time.Millisecond))
	out, _, r := run(t, "-port", s.port, "-n", "3", "-timeout", "5s")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "[CLIENTE 02] 🏆 SUCESSO: Processado: Tarefa do Cliente 2\n") {
		t.Errorf("resposta aos pedaços dentro do prazo: %s\n%s", counts(r), out)
	}
	if r.P50 < 400*time.Millisecond {
		t.Errorf("o sucesso deveria contar a resposta inteira (≥0,4 s), p50=%v", r.P50)
	}
	// Os mesmos pedaços a cada 400 ms com prazo de 600 ms: não termina a tempo.
	slow := serve(t, pieces(5, 400*time.Millisecond))
	out, _, r = run(t, "-port", slow.port, "-n", "3", "-timeout", "600ms")
	if r.Count(summary.ReplyTimeout) != 3 || !regexp.MustCompile(`⏱️ TIMEOUT: entrou, recebeu \d+ bytes, mas a resposta não terminou em 600ms`).MatchString(out) {
		t.Errorf("resposta aos pedaços fora do prazo: %s\n%s", counts(r), out)
	}
}

// big manda size bytes e fecha.
func big(size int) func(*fakeServer, net.Conn) {
	return func(s *fakeServer, c net.Conn) {
		s.readMsg(c)
		c.Write(bytes.Repeat([]byte("x"), size))
		finish(c)
	}
}

func TestOneMebibyteReply(t *testing.T) {
	t.Parallel()
	s := serve(t, big(1<<20))
	start := time.Now()
	out, _, r := run(t, "-port", s.port, "-n", "3", "-timeout", "10s")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "(1048576 bytes no total)") {
		t.Errorf("1 MiB: %s\n%.2000s", counts(r), out)
	}
	if el := time.Since(start); el > 8*time.Second {
		t.Errorf("1 MiB levou %v", el)
	}
	// Mais que o limite do cliente: erro, sem esperar o prazo.
	huge := serve(t, big(3<<20))
	start = time.Now()
	out, _, r = run(t, "-port", huge.port, "-n", "2", "-timeout", "20s")
	if r.Count(summary.Other) != 2 || !strings.Contains(out, "a resposta passou de 1048576 bytes") {
		t.Errorf("3 MiB: %s\n%.2000s", counts(r), out)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("3 MiB levou %v: o cliente deveria desistir no limite, não no prazo", el)
	}
}

func TestReplyTimeout(t *testing.T) {
	t.Parallel()
	// Lê a tarefa e fica calado até o cliente desistir e fechar.
	s := serve(t, func(s *fakeServer, c net.Conn) { io.Copy(io.Discard, c) })
	start := time.Now()
	out, _, r := run(t, "-port", s.port, "-n", "3", "-timeout", "300ms")
	if r.Count(summary.ReplyTimeout) != 3 || !strings.Contains(out, "⏱️ TIMEOUT: entrou, mas a resposta não chegou em 300ms") {
		t.Errorf("%s\n%s", counts(r), out)
	}
	if el := time.Since(start); el > 2500*time.Millisecond {
		t.Errorf("o prazo de 300ms deveria encerrar tudo bem antes: %v", el)
	}
}

// O modo -original: nada enviado, um prazo de 2 s para o connect e para o
// recv. Contra um servidor que só responde em 2,5 s, nenhum sucesso — a
// falha do original, à vista. (Roda uma vez; ~2 s, em paralelo.)
func TestOriginalModeFlaw(t *testing.T) {
	t.Parallel()
	s := serve(t, func(s *fakeServer, c net.Conn) {
		// Como o servergargalo: não lê nada, "processa" e responde.
		// Aqui o "processamento" é esperar 2,5 s por dados que nunca vêm.
		c.SetReadDeadline(time.Now().Add(2500 * time.Millisecond))
		s.readMsg(c)
		c.Write([]byte("Atendido com sucesso."))
	})
	out, _, r := run(t, "-port", s.port, "-n", "4", "-original")
	if r.Count(summary.Success) != 0 || r.Count(summary.ReplyTimeout) != 4 {
		t.Errorf("-original contra servidor lento: %s\n%s", counts(r), out)
	}
	if got := s.received.Load(); got != 0 {
		t.Errorf("-original não deveria enviar nada; o servidor recebeu %d bytes", got)
	}
	if !strings.Contains(out, "[MODO ORIGINAL]") || !strings.Contains(out, "resposta não chegou em 2s") {
		t.Errorf("saída:\n%s", out)
	}
}

// -original contra um servidor que responde logo sem ler: um recv(1024) e sucesso.
func TestOriginalModeSucceedsWhenServerIsFast(t *testing.T) {
	t.Parallel()
	s := serve(t, func(s *fakeServer, c net.Conn) { c.Write([]byte("Atendido com sucesso.")) })
	out, _, r := run(t, "-port", s.port, "-n", "3", "-original")
	if r.Count(summary.Success) != 3 || !strings.Contains(out, "🏆 SUCESSO: Atendido com sucesso.\n") {
		t.Errorf("%s\n%s", counts(r), out)
	}
}

func TestQuietPrintsProgressAndResumo(t *testing.T) {
	t.Parallel()
	s := serve(t, delayed(50*time.Millisecond))
	out, errOut, r := run(t, "-port", s.port, "-n", "50", "-q")
	if r.Count(summary.Success) != 50 {
		t.Fatalf("%s\n%s", counts(r), out)
	}
	if strings.Contains(out, "[CLIENTE") {
		t.Errorf("-q não deveria imprimir linhas por cliente:\n%s", out)
	}
	if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; lines > 3 {
		t.Errorf("-q imprimiu %d linhas em stdout:\n%s", lines, out)
	}
	if !strings.Contains(errOut, "[PROGRESSO] 50/50 terminaram") {
		t.Errorf("falta a linha de progresso final em stderr:\n%s", errOut)
	}
}

func TestSVGTimeline(t *testing.T) {
	t.Parallel()
	s := serve(t, delayed(100*time.Millisecond))
	file := filepath.Join(t.TempDir(), "linha.svg")
	// Clientes que conseguem e um grupo que é recusado (outra porta).
	out, _, r := run(t, "-port", s.port, "-n", "6", "-svg", file)
	if r.Count(summary.Success) != 6 || !strings.Contains(out, "[LINHA DO TEMPO] "+file) {
		t.Fatalf("%s\n%s", counts(r), out)
	}
	rows := svgRows(t, file)
	if len(rows) != 6 {
		t.Fatalf("%d linhas no SVG, esperava 6", len(rows))
	}
	for id, class := range rows {
		if class != "sucesso" || id < 1 || id > 6 {
			t.Errorf("linha do cliente %d com classe %q", id, class)
		}
	}
	refusedFile := filepath.Join(t.TempDir(), "recusa.svg")
	run(t, "-port", freePort(t), "-n", "3", "-svg", refusedFile)
	for id, class := range svgRows(t, refusedFile) {
		if class != "recusado" {
			t.Errorf("cliente %d: classe %q, esperava recusado", id, class)
		}
	}
}

// svgRows lê o SVG com encoding/xml e devolve id do cliente → classe.
func svgRows(t *testing.T, file string) map[int]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[int]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("SVG inválido: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "g" {
			var id int
			var class string
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "data-cliente":
					id, _ = strconv.Atoi(a.Value)
				case "class":
					class = a.Value
				}
			}
			if id > 0 {
				if _, dup := rows[id]; dup {
					t.Fatalf("cliente %d aparece duas vezes", id)
				}
				rows[id] = class
			}
		}
	}
}

func TestOrigins(t *testing.T) {
	t.Parallel()
	// Cada cliente sai de 127.0.0.(1 + id%4); o servidor vê os endereços.
	var mu sync.Mutex
	seen := map[string]bool{}
	s := serve(t, func(s *fakeServer, c net.Conn) {
		mu.Lock()
		seen[c.RemoteAddr().(*net.TCPAddr).IP.String()] = true
		mu.Unlock()
		delayed(0)(s, c)
	})
	out, _, r := run(t, "-port", s.port, "-n", "8", "-origens", "4")
	if r.Count(summary.Success) != 8 {
		t.Fatalf("%s\n%s", counts(r), out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 4 {
		t.Errorf("origens vistas pelo servidor: %v", seen)
	}
}

// Uso errado: código 2, uma linha em português, nenhuma conexão tentada.
func TestBadUsage(t *testing.T) {
	t.Parallel()
	s := serve(t, delayed(0))
	for _, args := range [][]string{
		{"-host", "192.0.2.1"}, // fora do loopback, sem -permitir-remoto
		{"-host", "example.com"},
		{"-n", "0"},
		{"-n", "-3"},
		{"-timeout", "-1s"},
		{"-connect-timeout", "abc"},
		{"-origens", "0"},
		{"-original", "-timeout", "5s"},
		{"-porta", "1"},
		{"sobra"},
	} {
		stdout, stderr, code := e2e.Run(t, 10*time.Second, "clientenervoso", append(args, "-port", s.port)...)
		if code != 2 || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stderr == "" {
			t.Errorf("%v: código %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if n := s.accepted.Load(); n != 0 {
		t.Errorf("uso errado não deveria conectar; o servidor aceitou %d", n)
	}
}
