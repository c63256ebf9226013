//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"roteiro2/internal/e2e"
	"roteiro2/internal/summary"
)

// envRlimit: o binário de teste, reexecutado com esta variável, baixa o
// próprio RLIMIT_NOFILE para 64 e se transforma (exec) no servidor. Assim o limite
// vale só para o servidor, nunca para o processo de teste.
const envRlimit = "SERVER_ASYNC_TEST_NOFILE"

func TestMain(m *testing.M) {
	if os.Getenv(envRlimit) != "" {
		// Cur e Max têm tipos diferentes conforme o sistema: constante sem tipo.
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: 64, Max: 64}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(3)
		}
		os.Unsetenv(envRlimit)
		err := syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
		fmt.Fprintln(os.Stderr, "exec:", err)
		os.Exit(3)
	}
	e2e.Main(m)
}

// O server_async não pode depender do pacote net: o reactor é a única
// maquinaria de E/S dele.
func TestNoNetPackage(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "roteiro2/cmd/server_async").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "net" || strings.HasPrefix(p, "net/http") {
			t.Errorf("server_async depende de %q", p)
		}
	}
}

var threadsRe = regexp.MustCompile(`threads SO: (\d+)`)

func maxThreads(out string) int {
	m := 0
	for _, x := range threadsRe.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(x[1])
		m = max(m, n)
	}
	return m
}

// parallelBound: em série, n clientes levariam n × delay (o último esperaria
// todos os outros); em paralelo, cada um leva cerca de um delay. O limite,
// metade do tempo em série, separa os dois sem depender da velocidade da
// máquina: numa máquina ocupada (com -race e outros processos disputando os
// núcleos) o accept atrasa, os 200 SYN estouram o backlog de 100 e parte dos
// clientes só entra na retransmissão do SYN, 1 s depois.
func parallelBound(n int, delay time.Duration) time.Duration { return time.Duration(n) * delay / 2 }

func checkAll(t *testing.T, r summary.Resumo, n int, delay time.Duration) {
	t.Helper()
	if r.Total != n || r.Count(summary.Success) != n {
		t.Errorf("RESUMO %+v: esperado %d sucessos", r, n)
	}
	t.Logf("%d clientes: p50=%v max=%v (delay %v, limite %v)", n, r.P50, r.Max, delay, parallelBound(n, delay))
	if r.P50 < delay || r.Max > parallelBound(n, delay) {
		t.Errorf("p50=%v max=%v: esperado nenhum antes de um delay (%v) e todos antes de %v (em série, %v)",
			r.P50, r.Max, delay, parallelBound(n, delay), time.Duration(n)*delay)
	}
}

// 10 e 200 clientenervoso: todos atendidos em paralelo (cerca de um delay,
// não n delays), e as threads do SO não crescem com os clientes.
func TestNervousClients10And200(t *testing.T) {
	t.Parallel()
	const delay = 500 * time.Millisecond
	s := e2e.StartServer(t, "server_async", "-delay", delay.String())
	_, r := e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "10", "-q")
	checkAll(t, r, 10, delay)
	out10 := s.WaitFor(t, "Conexões simultâneas: 0", 5*time.Second)
	t10 := maxThreads(out10)
	_, r = e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "200", "-q")
	checkAll(t, r, 200, delay)
	out, code := s.Stop(t)
	t200 := maxThreads(out[len(out10):])
	if t10 == 0 && runtime.GOOS == "linux" {
		t.Fatalf("nenhuma linha [ATIVO] com threads:\n%s", out)
	}
	t.Logf("threads SO: %d com 10 clientes, %d com 200", t10, t200)
	if t200 > t10+2 {
		t.Errorf("threads SO subiram de %d (10 clientes) para %d (200)", t10, t200)
	}
	if code != 0 || !strings.Contains(out, "[RESUMO SERVIDOR] atendidas=210 falhas=0 interrompidas=0 ") {
		t.Errorf("saída %d, resumo errado:\n%s", code, lastLines(out, 3))
	}
}

// 200 clientes mandam 64 KiB cada e leem até EOF: todos recebem a resposta
// inteira e depois EOF limpo, nenhum RST (fechamento com espera).
func TestBigRequestsGetReplyAndEOF(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server_async", "-delay", "100ms", "-q")
	req := make([]byte, 64<<10)
	for i := range req {
		req[i] = 'a' + byte(i%26)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(15 * time.Second))
			if _, err := c.Write(req); err != nil {
				t.Error("envio:", err)
				return
			}
			b, err := io.ReadAll(c)
			msg, found := bytes.CutPrefix(b, []byte("Processado: "))
			if err != nil || !found || len(msg) == 0 || len(msg) > 1024 || !bytes.HasPrefix(req, msg) {
				t.Errorf("resposta de %d bytes %.40q..., erro %v", len(b), b, err)
				return
			}
			mu.Lock()
			ok++
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Logf("%d/200 receberam a resposta inteira e EOF", ok)
}

// 1.000 clientes ociosos, já aceitos pelo servidor, não seguram 10 clientes
// normais: todos atendidos em paralelo, como sem os ociosos. (Num servidor
// sequencial, o primeiro ocioso seguraria todos até o -ocioso.)
func TestIdleClientsDoNotDelayOthers(t *testing.T) {
	t.Parallel()
	const delay = 500 * time.Millisecond
	s := e2e.StartServer(t, "server_async", "-delay", delay.String(), "-q", "-backlog", "1024")
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for i := 0; i < 1000; i++ {
		c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
		if err != nil {
			t.Fatalf("cliente ocioso %d: %v", i, err)
		}
		idle = append(idle, c)
	}
	if runtime.GOOS == "linux" { // os ociosos estão no servidor, não na fila do kernel
		n := 0
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if n = e2e.FDCount(t, s.Pid()); n >= 1000 {
				break
			}
		}
		if n < 1000 {
			t.Fatalf("o servidor tem %d descritores abertos; esperado os 1.000 ociosos aceitos", n)
		}
	}
	_, r := e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "10", "-q")
	checkAll(t, r, 10, delay)
}

// -ocioso fecha quem conecta e não manda nada, com uma linha no log.
func TestIdleTimeoutCloses(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server_async", "-ocioso", "200ms")
	c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
		t.Fatalf("esperado EOF sem dados, veio %q, %v", b, err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("fechada depois de %v, antes do prazo de 200ms", d)
	}
	s.WaitFor(t, "Erro: recv: prazo esgotado (200ms)", 5*time.Second)
	out, _ := s.Stop(t)
	if !strings.Contains(out, "falhas=1 ") {
		t.Errorf("o ocioso deveria contar como falha:\n%s", lastLines(out, 2))
	}
}

// Meio fechamento (`nc -N`): o cliente manda a mensagem e fecha só a escrita
// (shutdown(SHUT_WR)); a resposta ainda chega inteira, depois EOF. Quem fecha
// a escrita sem mandar nada é desligado logo, sem esperar o -ocioso.
func TestHalfCloseGetsReply(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server_async", "-delay", "100ms")
	for _, msg := range []string{"", "meio fechada"} {
		c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		if err := c.(*net.TCPConn).CloseWrite(); err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(c)
		c.Close()
		if want := map[bool]string{true: "", false: "Processado: " + msg}[msg == ""]; err != nil || string(b) != want {
			t.Errorf("mensagem %q: resposta %q, %v; esperado %q e EOF", msg, b, err, want)
		}
	}
	out, code := s.Stop(t)
	if code != 0 || !strings.Contains(out, "[RESUMO SERVIDOR] atendidas=1 falhas=1 interrompidas=0 ") {
		t.Errorf("saída %d:\n%s", code, lastLines(out, 3))
	}
}

// Bytes, não texto: UTF-8 inválido e NUL são respondidos como vieram e
// aparecem escapados no log.
func TestInvalidUTF8AndNUL(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server_async", "-delay", "10ms")
	msg := []byte("ol\xffa\x00b\n")
	c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write(msg)
	b, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(b, append([]byte("Processado: "), msg...)) {
		t.Fatalf("resposta %q, %v", b, err)
	}
	s.WaitFor(t, `Processando: ol\xffa\x00b\n`, 5*time.Second)
}

// 1.000 clientes que resetam (SO_LINGER 0) durante o delay: o servidor
// segue, e os descritores abertos voltam ao número de antes. -backlog 4096:
// os clientes não esperam o accept para abrir a próxima conexão, e com a
// fila de 100 cheia (laço atrasado numa máquina carregada) um ACK final
// descartado deixa o cliente "conectado" numa conexão que o servidor nunca
// vê; o RST dele a apaga da fila de SYN, e a conta de falhas daria 999.
func TestResettingClientsLeakNoDescriptor(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("contagem por /proc/PID/fd só no Linux")
	}
	t.Parallel()
	s := e2e.StartServer(t, "server_async", "-delay", "200ms", "-q", "-backlog", "4096")
	before := e2e.FDCount(t, s.Pid())
	var wg sync.WaitGroup
	for w := 0; w < 20; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				c, err := net.DialTimeout("tcp4", s.Addr, 5*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				c.Write([]byte("vou sumir"))
				c.(*net.TCPConn).SetLinger(0)
				c.Close()
			}
		}()
	}
	wg.Wait()
	after := -1
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if after = e2e.FDCount(t, s.Pid()); after == before {
			break
		}
	}
	if after != before {
		t.Errorf("descritores do servidor: %d antes, %d depois de 1.000 resets", before, after)
	}
	// O servidor continua atendendo.
	_, r := e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "5", "-q")
	if r.Count(summary.Success) != 5 {
		t.Errorf("depois dos resets: %+v", r)
	}
	out, _ := s.Stop(t)
	if !strings.Contains(out, "atendidas=5 falhas=1000 interrompidas=0") {
		t.Errorf("resumo: %s", lastLines(out, 1))
	}
	t.Logf("descritores do servidor: %d antes, %d depois de 1.000 resets", before, after)
}

// RLIMIT_NOFILE=64 e 300 clientes: sem girar em falso (CPU < 20% de um
// núcleo durante a tempestade), um aviso por episódio, e depois 10 clientes
// novos são todos atendidos.
func TestDescriptorExhaustion(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU por /proc/PID/stat só no Linux")
	}
	t.Parallel()
	bin := e2e.Build(t, "server_async")
	cmd := exec.Command(os.Args[0], bin, "-delay", "300ms", "-q", "-port", "0")
	cmd.Env = append(os.Environ(), envRlimit+"=1")
	s := e2e.StartServerCmd(t, cmd)
	cpu0 := cpuTime(t, s.Pid())
	start := time.Now()
	_, r := e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "300", "-q",
		"-connect-timeout", "3s", "-timeout", "10s")
	wall := time.Since(start)
	cpu := cpuTime(t, s.Pid()) - cpu0
	t.Logf("tempestade: %v de parede, %v de CPU do servidor (%.1f%%); %+v", wall, cpu, 100*cpu.Seconds()/wall.Seconds(), r)
	if cpu > wall/5 {
		t.Errorf("servidor usou %v de CPU em %v: está girando em falso", cpu, wall)
	}
	if r.Count(summary.Success) < 50 {
		t.Errorf("só %d sucessos: o servidor deveria seguir atendendo as conexões que tem", r.Count(summary.Success))
	}
	_, r = e2e.RunClient(t, "clientenervoso", "-port", strconv.Itoa(s.Port), "-n", "10", "-q")
	if r.Count(summary.Success) != 10 {
		t.Errorf("depois da tempestade: %+v", r)
	}
	out, code := s.Stop(t)
	fails := strings.Count(out, "accept falhou")
	back := strings.Count(out, "accept voltou a funcionar")
	if fails == 0 || fails > back+1 {
		t.Errorf("avisos: %d 'falhou' para %d 'voltou' (um por episódio):\n%s", fails, back, out)
	}
	// cada "falhou" vem depois do "voltou" do episódio anterior
	if i := strings.Index(out, "accept falhou"); i >= 0 && strings.Count(out[i:], "accept falhou") > 1 {
		for _, ep := range strings.Split(out[i:], "accept voltou")[:max(0, back)] {
			if strings.Count(ep, "accept falhou") > 1 {
				t.Errorf("mais de um aviso no mesmo episódio")
			}
		}
	}
	if code != 0 {
		t.Errorf("saída %d", code)
	}
}

// cpuTime lê utime+stime de /proc/PID/stat (em ticks de 1/100 s).
func cpuTime(t *testing.T, pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// Porta em uso: uma linha em português em stderr, código 1.
func TestPortInUse(t *testing.T) {
	t.Parallel()
	s := e2e.StartServer(t, "server_async")
	_, stderr, code := e2e.Run(t, 10*time.Second, "server_async", "-port", strconv.Itoa(s.Port))
	if code != 1 || !strings.Contains(stderr, "Porta em uso") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("código %d, stderr %q", code, stderr)
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// travado é um terminal que não aceita nada até solta fechar.
type travado struct {
	solta chan struct{}
	mu    sync.Mutex
	buf   bytes.Buffer
}

func (w *travado) Write(p []byte) (int, error) {
	<-w.solta
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// O log nunca bloqueia o laço: com o terminal travado, printf volta logo,
// o que passa de maxPendente é descartado e contado numa linha [LOG], e
// nenhuma linha some sem ser contada.
func TestLogNeverBlocksOnSlowTerminal(t *testing.T) {
	t.Parallel()
	w := &travado{solta: make(chan struct{})}
	r := novoRegistro(w)
	const n = 10000 // ~10 MB: mais que os dois buffers de maxPendente
	linha := strings.Repeat("x", 1000)
	start := time.Now()
	for i := 0; i < n; i++ {
		r.printf("%s", linha)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%d printf com o terminal travado levaram %v", n, d)
	}
	close(w.solta)
	r.descarregar()
	escritas, omitidas := 0, 0
	for _, l := range strings.Split(strings.TrimSuffix(w.buf.String(), "\n"), "\n") {
		var k int
		switch {
		case l == linha:
			escritas++
		case strings.HasSuffix(l, " linhas omitidas (terminal lento)"):
			fmt.Sscanf(l, "[LOG] %d linhas", &k)
			omitidas += k
		default:
			t.Fatalf("linha inesperada %.60q", l)
		}
	}
	if omitidas == 0 || escritas+omitidas != n || escritas*(len(linha)+1) > 2*maxPendente {
		t.Errorf("%d escritas + %d omitidas, esperado %d no total e algumas omitidas", escritas, omitidas, n)
	}
}
