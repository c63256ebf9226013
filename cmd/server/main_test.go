package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"roteiro2/internal/e2e"
	"roteiro2/internal/proc"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// eachModel roda test nos dois modelos, em paralelo: o modelo thread usa o
// socket bloqueante de internal/blocking (descritores crus), o goroutine o
// pacote net; os dois têm de sobreviver ao mesmo.
func eachModel(t *testing.T, test func(t *testing.T, modelo string)) {
	t.Parallel()
	for _, modelo := range []string{"thread", "goroutine"} {
		t.Run(modelo, func(t *testing.T) {
			t.Parallel()
			test(t, modelo)
		})
	}
}

var (
	baseRe  = regexp.MustCompile(`\[MODELO\] .* threads SO agora: (\d+)`)
	tidRe   = regexp.MustCompile(`\[NOVA CONEXÃO\] .* conectado\. \(thread SO (\d+)\)`)
	ativoRe = regexp.MustCompile(`\[ATIVO\] Conexões simultâneas: (\d+) \| threads SO: (\d+|n/d)`)
)

// Etapa 2.1: 10 clientes nervosos entram juntos e são atendidos em cerca de
// um delay; no modelo thread o número de threads do SO sobe pelo menos 10
// (uma por conexão), no modelo goroutine não.
func TestTenClients(t *testing.T) {
	t.Parallel()
	const delay = 500 * time.Millisecond
	for _, modelo := range []string{"thread", "goroutine"} {
		t.Run(modelo, func(t *testing.T) {
			t.Parallel()
			s := e2e.StartServer(t, "server", "-delay", delay.String(), "-modelo", modelo)
			out, r := e2e.RunClient(t, "clientenervoso", "-port", fmt.Sprint(s.Port), "-n", "10",
				"-connect-timeout", "2s", "-timeout", "5s")
			if r.Total != 10 || r.Count(0) != 10 {
				t.Fatalf("esperava 10 sucessos, RESUMO %v\n%s", r, out)
			}
			if r.Max < delay || r.Max > 2*delay+time.Second {
				t.Errorf("o último sucesso veio em %v; esperava cerca de um delay (%v)", r.Max, delay)
			}
			sout := s.StopOK(t)
			m := baseRe.FindStringSubmatch(sout)
			if m == nil {
				t.Fatalf("sem linha [MODELO] com as threads iniciais:\n%s", sout)
			}
			base, _ := strconv.Atoi(m[1])
			served, _, _, peak := e2e.ServerResumo(t, sout)
			if served != 10 {
				t.Errorf("atendidas=%d, esperava 10", served)
			}
			maxK := 0
			for _, m := range ativoRe.FindAllStringSubmatch(sout, -1) {
				k, _ := strconv.Atoi(m[1])
				maxK = max(maxK, k)
			}
			t.Logf("modelo %s: threads SO no início %d, pico %d, conexões simultâneas no máximo %d", modelo, base, peak, maxK)
			if maxK != 10 {
				t.Errorf("[ATIVO] chegou a %d conexões simultâneas, esperava 10", maxK)
			}
			if runtime.GOOS != "linux" {
				return // threads e gettid só são informados no Linux
			}
			tids := map[string]bool{}
			for _, m := range tidRe.FindAllStringSubmatch(sout, -1) {
				tids[m[1]] = true
			}
			rise := peak - base
			if modelo == "goroutine" {
				if len(tids) != 0 {
					t.Errorf("modelo goroutine não devia mostrar thread por conexão: %v", tids)
				}
				if rise >= 10 {
					t.Errorf("modelo goroutine: threads SO subiram %d (de %d a %d); deviam ficar quase paradas", rise, base, peak)
				}
				return
			}
			// Modelo thread: cada uma das 10 conexões numa thread do SO só dela.
			if len(tids) != 10 {
				t.Errorf("modelo thread: %d threads SO distintas nas 10 conexões, esperava 10: %v", len(tids), tids)
			}
			// O pico inclui as 10 threads presas (LockOSThread) mais o sysmon do
			// runtime e a thread que roda o laço de accept: pelo menos 12. A
			// subida em relação à linha [MODELO] fica em 9–12 e não é garantida
			// ser 10: as primeiras goroutines presas podem ocupar threads ociosas
			// que o runtime já tinha criado na partida (e que a linha [MODELO]
			// já contava) em vez de criar novas.
			if peak < 12 {
				t.Errorf("modelo thread: pico de %d threads SO com 10 conexões simultâneas, esperava pelo menos 12 (de %d no início)", peak, base)
			}
		})
	}
}

// A falha dos originais: o clientenervoso literal (nada enviado, um prazo só
// de 2 s) nunca recebe resposta do server, que espera ler antes de responder.
func TestOriginalClientNeverSucceeds(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server", "-delay", "300ms")
	out, r := e2e.RunClient(t, "clientenervoso", "-port", fmt.Sprint(s.Port), "-n", "10", "-original")
	if r.Total != 10 || r.Count(0) != 0 {
		t.Fatalf("-original: esperava 0 sucessos em 10, RESUMO %v\n%s", r, out)
	}
	sout := s.StopOK(t)
	if served, _, _, _ := e2e.ServerResumo(t, sout); served != 0 {
		t.Errorf("atendidas=%d, esperava 0", served)
	}
}

// -max-threads: além do limite o servidor para de aceitar (a fila espera no
// kernel) em vez de morrer, e todos acabam atendidos.
func TestMaxThreads(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	s := e2e.StartServer(t, "server", "-delay", delay.String(), "-max-threads", "5")
	out, r := e2e.RunClient(t, "clientenervoso", "-port", fmt.Sprint(s.Port), "-n", "10",
		"-connect-timeout", "2s", "-timeout", "5s")
	if r.Count(0) != 10 {
		t.Fatalf("esperava 10 sucessos, RESUMO %v\n%s", r, out)
	}
	if r.Max < 2*delay-30*time.Millisecond {
		t.Errorf("o último sucesso veio em %v: com 5 vagas e 10 clientes devia levar pelo menos 2 delays (%v)", r.Max, 2*delay)
	}
	sout := s.StopOK(t)
	if n := strings.Count(sout, "[LIMITE]"); n != 1 {
		t.Errorf("a linha [LIMITE] apareceu %d vezes, esperava 1:\n%s", n, sout)
	}
	for _, m := range ativoRe.FindAllStringSubmatch(sout, -1) {
		if k, _ := strconv.Atoi(m[1]); k > 5 {
			t.Errorf("%d conexões simultâneas com -max-threads 5", k)
		}
	}
	if served, failed, _, _ := e2e.ServerResumo(t, sout); served != 10 || failed != 0 {
		t.Errorf("atendidas=%d falhas=%d, esperava 10 e 0", served, failed)
	}
}

// -ocioso: quem conecta e não manda nada é desconectado, com a linha do prazo.
func TestIdleClosed(t *testing.T) { eachModel(t, testIdleClosed) }

func testIdleClosed(t *testing.T, modelo string) {
	s := e2e.StartServer(t, "server", "-modelo", modelo, "-delay", "100ms", "-ocioso", "300ms")
	c, err := net.Dial("tcp4", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Read(make([]byte, 64))
	if n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("esperava EOF do servidor, veio n=%d err=%v", n, err)
	}
	if el := time.Since(start); el < 250*time.Millisecond {
		t.Errorf("fechou em %v, antes do prazo -ocioso de 300ms", el)
	}
	s.WaitFor(t, "Erro: recv: prazo esgotado (300ms)", 5*time.Second)
	if _, failed, _, _ := e2e.ServerResumo(t, s.StopOK(t)); failed != 1 {
		t.Errorf("falhas=%d, esperava 1 (a conexão ociosa)", failed)
	}
}

// Pedido de 64 KiB (mais que o recv(1024)): 200 clientes recebem a resposta
// inteira e depois EOF limpo, nunca RST (fechamento com espera).
func TestBigRequests(t *testing.T) { eachModel(t, testBigRequests) }

func testBigRequests(t *testing.T, modelo string) {
	s := e2e.StartServer(t, "server", "-delay", "200ms", "-q", "-modelo", modelo)
	big := bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reply, err := e2e.Exchange(s.Addr, big, 10*time.Second)
			switch {
			case err != nil:
				errs <- err
			case !bytes.HasPrefix(reply, []byte("Processado: ")) || len(reply) <= len("Processado: ") ||
				len(reply) > len("Processado: ")+1024 || !bytes.HasPrefix(big, reply[len("Processado: "):]):
				errs <- fmt.Errorf("resposta inesperada (%d bytes): %.60q", len(reply), reply)
			}
		}()
	}
	wg.Wait()
	close(errs)
	bad := 0
	for err := range errs {
		if bad++; bad <= 3 {
			t.Error(err)
		}
	}
	if bad > 0 {
		t.Fatalf("%d de %d clientes de 64 KiB sem resposta completa + EOF", bad, n)
	}
	if served, _, _, _ := e2e.ServerResumo(t, s.StopOK(t)); served != n {
		t.Errorf("atendidas=%d, esperava %d", served, n)
	}
}

// Bytes, não texto: UTF-8 inválido e NUL voltam intactos na resposta e
// aparecem escapados no log.
func TestBinaryMessage(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server", "-delay", "50ms")
	msg := []byte("\xff\xfe\x00ok\n")
	reply, err := e2e.Exchange(s.Addr, msg, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]byte("Processado: "), msg...); !bytes.Equal(reply, want) {
		t.Errorf("resposta %q, esperava %q", reply, want)
	}
	s.WaitFor(t, `Processando: \xff\xfe\x00ok\n`, 5*time.Second)
}

// 1.000 clientes que resetam (SO_LINGER 0) antes ou durante o delay: o
// servidor segue e não vaza descritor nenhum.
func TestResettingClientsNoLeak(t *testing.T) { eachModel(t, testResettingClientsNoLeak) }

func testResettingClientsNoLeak(t *testing.T, modelo string) {
	if runtime.GOOS != "linux" {
		t.Skip("contagem de descritores via /proc só no Linux")
	}
	s := e2e.StartServer(t, "server", "-delay", "20ms", "-modelo", modelo)
	before := e2e.SocketCount(t, s.Pid())
	const n, batch = 1000, 100
	for b := 0; b < n; b += batch {
		var wg sync.WaitGroup
		for i := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("tcp4", s.Addr)
				if err != nil {
					t.Error(err)
					return
				}
				if (b+i)%2 == 0 { // metade manda o pedido e some durante o delay
					c.Write([]byte("Tarefa"))
				}
				c.(*net.TCPConn).SetLinger(0) // close() manda RST
				c.Close()
			}()
		}
		wg.Wait()
	}
	// A fila de accept é FIFO: quando este pedido normal for respondido, o
	// servidor já aceitou todas as conexões anteriores que chegaram à fila.
	// (Algumas podem nunca chegar: se o ACK final do handshake encontra a
	// fila cheia, o kernel do servidor guarda a conexão em SYN-RECV, e o RST
	// do cliente a apaga antes do accept — veja docs/fila-do-kernel.md.)
	if _, err := e2e.Exchange(s.Addr, []byte("ainda vivo?"), 10*time.Second); err != nil {
		t.Fatalf("servidor não atende depois da tempestade: %v", err)
	}
	// Espera (limitado) cada conexão aceita terminar.
	deadline := time.Now().Add(10 * time.Second)
	var opened, closed int
	for {
		out := s.Output()
		opened, closed = strings.Count(out, "[NOVA CONEXÃO]"), strings.Count(out, "[DESCONECTADO]")
		if opened == closed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d conexões aceitas, só %d terminaram", opened, closed)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if opened < n*9/10 {
		t.Errorf("só %d de %d conexões chegaram ao accept", opened, n+1)
	}
	after := e2e.SocketCount(t, s.Pid())
	t.Logf("sockets do servidor: %d antes, %d depois de %d clientes que resetam (%d chegaram ao accept)", before, after, n, opened)
	if after != before {
		t.Errorf("sockets: %d antes, %d depois", before, after)
	}
	served, failed, _, _ := e2e.ServerResumo(t, s.StopOK(t))
	if served+failed != opened {
		t.Errorf("atendidas+falhas=%d, esperava %d (as conexões aceitas)", served+failed, opened)
	}
}

// Descritores esgotados (RLIMIT_NOFILE baixo): accept falha com EMFILE, o
// servidor registra, espera e tenta de novo — não morre, não gira em falso —
// e volta a atender quando os descritores se liberam.
func TestAcceptEMFILE(t *testing.T) { eachModel(t, testAcceptEMFILE) }

func testAcceptEMFILE(t *testing.T, modelo string) {
	if runtime.GOOS != "linux" {
		t.Skip("medir a CPU do servidor via /proc só no Linux")
	}
	bin := e2e.Build(t, "server")
	// ulimit -n no sh baixa os limites flexível e rígido: o runtime do Go não
	// consegue subir o flexível de volta.
	cmd := exec.Command("sh", "-c", `ulimit -n 24 && exec "$0" "$@"`, bin,
		"-delay", "500ms", "-modelo", modelo, "-q", "-port", "0")
	s := e2e.StartServerCmd(t, cmd)
	cpu0, err := proc.Of(s.Pid())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	const storm = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range storm {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e2e.Exchange(s.Addr, []byte("Tarefa"), 15*time.Second); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	s.WaitFor(t, "accept falhou", 10*time.Second)
	wg.Wait()
	wall := time.Since(start)
	cpu1, _ := proc.Of(s.Pid())
	share := float64(cpu1.CPU()-cpu0.CPU()) / float64(wall)
	t.Logf("tempestade de %d clientes com 24 descritores: %d atendidos, CPU do servidor %.0f%% de um núcleo em %v",
		storm, ok, share*100, wall.Round(time.Millisecond))
	if share > 0.5 {
		t.Errorf("servidor usou %.0f%% de um núcleo durante o EMFILE: está girando em falso", share*100)
	}
	for i := range 5 {
		if _, err := e2e.Exchange(s.Addr, []byte("depois"), 5*time.Second); err != nil {
			t.Errorf("cliente %d depois da tempestade: %v", i, err)
		}
	}
	out := s.StopOK(t)
	if n := strings.Count(out, "accept falhou"); n < 1 || n > 2 {
		t.Errorf("EMFILE registrado %d vezes; esperava uma linha (no máximo uma a cada 5 s)", n)
	}
	if !regexp.MustCompile(`erros_accept=[1-9]`).MatchString(out) {
		t.Errorf("o resumo devia contar os erros de accept:\n%s", out)
	}
}

// Porta em uso: a linha em português e código 1.
func TestPortInUse(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server")
	_, stderr, code := e2e.Run(t, 10*time.Second, "server", "-port", fmt.Sprint(s.Port))
	if code != 1 || !strings.Contains(stderr, "Erro: Porta em uso") {
		t.Errorf("segundo servidor na mesma porta: código %d, stderr %q; esperava 1 e \"Erro: Porta em uso\"", code, stderr)
	}
}

// Flags inválidas: uma linha em stderr e código 2, sem pilha de erro.
func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-modelo", "fibra"}, {"-max-threads", "0"}, {"-delay", "-1"}, {"-backlog", "-1"},
		{"-host", "nome.invalido"}, {"-port", "70000"}, {"extra"},
	} {
		_, stderr, code := e2e.Run(t, 10*time.Second, "server", args...)
		if code != 2 || stderr == "" || strings.Contains(stderr, "goroutine 1 [") {
			t.Errorf("server %v: código %d, stderr %q; esperava 2 e uma mensagem", args, code, stderr)
		}
	}
}
