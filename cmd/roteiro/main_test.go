package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// TestRoteiroRapido roda o roteiro de verdade (compila os programas, sobe os
// servidores, dispara os clientes) num subconjunto curto das etapas e
// confere a forma da tabela e o que cada etapa deve mostrar, inclusive a
// fila do kernel (seção "Fila do kernel"): na 1.2, listen(1), o pico visto
// é Send-Q = 1 e Recv-Q ≤ 2 (docs/fila-do-kernel.md: vale em toda execução).
func TestRoteiroRapido(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os números do servidor (threads, RSS, CPU) vêm de /proc: só no Linux")
	}
	t.Parallel()
	dir := t.TempDir()
	start := time.Now()
	stdout, stderr, code := e2e.Run(t, 120*time.Second, "roteiro",
		"-rapido", "-delay", "300ms", "-etapas", "1.1,1.2,2.1,3.3", "-saida", dir)
	t.Logf("roteiro levou %.1fs", time.Since(start).Seconds())
	if code != 0 {
		t.Fatalf("código de saída %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 5 {
		t.Fatalf("tabela curta demais:\n%s", stdout)
	}
	cols := func(l string) []string {
		f := strings.Split(l, " | ")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		return f
	}
	if got := cols(lines[0]); strings.Join(got, ",") != strings.Join(Header, ",") {
		t.Fatalf("cabeçalho:\n%q\nwant\n%q", got, Header)
	}
	rows := [][]string{}
	for _, l := range lines[2:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		rows = append(rows, cols(l))
	}
	if len(rows) != 4 {
		t.Fatalf("esperava 4 linhas (1.1, 1.2, 2.1, 3.3), achei %d:\n%s", len(rows), stdout)
	}
	col := map[string]int{}
	for i, h := range Header {
		col[h] = i
	}
	lost12 := false
	stages := []struct{ stage, server, clients string }{
		{"1.1", "serverbloq", "3"}, {"1.2", "servergargalo", "10"}, {"2.1", "server (thread)", "10"}, {"3.3", "server_async", "10"},
	}
	for i, want := range stages {
		r := rows[i]
		if len(r) != len(Header) {
			t.Fatalf("linha %d com %d colunas: %q", i, len(r), r)
		}
		if r[0] != want.stage || r[1] != want.server || r[2] != want.clients {
			t.Errorf("linha %d = %q, want %v", i, r[:3], want)
		}
		if r[col["sucesso"]] != want.clients && want.stage != "1.2" {
			t.Errorf("%s: sucesso=%s de %s", want.stage, r[col["sucesso"]], want.clients)
		}
		if r[col["threads SO (pico)"]] == "n/d" || r[col["CPU"]] == "n/d" || r[col["RSS pico"]] == "n/d" {
			t.Errorf("%s: números do servidor faltando: %q", want.stage, r)
		}
		// Todo servidor imprime CPU e trocas do getrusage no resumo: o
		// roteiro usa esse total exato, sem o "≥" do piso do /proc.
		if sw := r[col["trocas de contexto"]]; !regexp.MustCompile(`^\d+$`).MatchString(sw) {
			t.Errorf("%s: trocas de contexto = %q, queria o total exato do resumo do servidor", want.stage, sw)
		}
		// O que o roteiro espera de cada etapa (checkSequential,
		// checkBacklog, checkThreadPerConn, checkFlat): a coluna "esperado"
		// e a explicação. A 1.2 numa máquina muito carregada pode perder a
		// lição nas três tentativas (o kernel responde com SYN cookies e
		// todos "conectam"): aí o ✗ é a observação certa, e tem de dizer por quê.
		if r[len(r)-1] != "✓" {
			if want.stage == "1.2" && strings.Contains(stdout, "✗ 1.2") && strings.Contains(stdout, "SYN cookies") {
				t.Logf("1.2 perdeu a lição por SYN cookies (máquina carregada), e o roteiro disse isso:\n%s", stdout)
				lost12 = true
				continue
			}
			t.Errorf("%s: esperado %s\n%s", want.stage, r[len(r)-1], stdout)
		}
	}
	wants := []string{"✓ 1.1", "sequencial", "fila listen: pico Recv-Q/Send-Q", "✓ 2.1", "threads cresceram", "✓ 3.3", "threads planas"}
	if !lost12 {
		wants = append(wants, "✓ 1.2", "≥5 timeout de conexão")
	}
	for _, w := range wants {
		if !strings.Contains(stdout, w) {
			t.Errorf("saída sem %q:\n%s", w, stdout)
		}
	}

	// A seção "Fila do kernel": uma linha por etapa, depois da tabela.
	var queue [][]string
	if _, after, ok := strings.Cut(stdout, "\nFila do kernel"); !ok {
		t.Errorf("saída sem a seção Fila do kernel:\n%s", stdout)
	} else {
		ql := strings.Split(after, "\n")
		if len(ql) < 3+len(stages) || strings.Join(cols(ql[1]), ",") != strings.Join(QueueHeader, ",") {
			t.Fatalf("seção Fila do kernel malformada:\n%s", after)
		}
		for _, l := range ql[3 : 3+len(stages)] {
			queue = append(queue, cols(l))
		}
	}
	fila := regexp.MustCompile(`^(\d+)/(\d+)$`)
	for i, q := range queue {
		want := stages[i]
		if len(q) != len(QueueHeader) || q[0] != want.stage || q[1] != want.server {
			t.Errorf("fila, linha %d = %q, want %v", i, q, want)
			continue
		}
		m := fila.FindStringSubmatch(q[3])
		drops, err := strconv.Atoi(q[4])
		if m == nil || err != nil || drops < 0 {
			t.Errorf("%s: fila %q, SYN descartados %q: queria números", want.stage, q[3], q[4])
			continue
		}
		recvQ, _ := strconv.Atoi(m[1])
		sendQ, _ := strconv.Atoi(m[2])
		if want.stage != "1.2" {
			continue
		}
		t.Logf("1.2: fila listen pico %d/%d, %d SYN descartados", recvQ, sendQ, drops)
		// listen(1): o limite da fila é o backlog pedido e a fila guarda
		// backlog+1 = 2; com 10 clientes e 300 ms de espera ela enche. ACKs
		// finais processados juntos em núcleos diferentes passam juntos pelo
		// teste de fila cheia (visto sob -race: 3/1 em 2 núcleos): o limite
		// firme é backlog + núcleos (checkQueue).
		if most := 1 + runtime.NumCPU(); sendQ != 1 || recvQ > most || recvQ < 1 {
			t.Errorf("1.2: pico Recv-Q/Send-Q = %d/%d, queria Send-Q = 1 e 1 ≤ Recv-Q ≤ %d", recvQ, sendQ, most)
		}
		// Um timeout de conexão com o servidor escutando no loopback só
		// acontece se o kernel descartou SYNs por fila cheia.
		if ct, _ := strconv.Atoi(rows[i][col["timeout conexão"]]); ct > 0 && drops < 1 {
			t.Errorf("1.2: %d timeout(s) de conexão e %d SYN descartados", ct, drops)
		}
	}

	// Onde as threads esperam: uma linha por etapa, no formato de
	// proc.Waits ("10 sleep (hrtimer_nanosleep) · 6 futex (futex_do_wait)"),
	// nunca n/d no Linux.
	if _, after, ok := strings.Cut(stdout, "\nOnde as threads do servidor esperam"); !ok {
		t.Errorf("saída sem a seção Onde as threads esperam:\n%s", stdout)
	} else {
		wl := strings.Split(after, "\n")
		if len(wl) < 3+len(stages) || strings.Join(cols(wl[1]), ",") != strings.Join(WaitsHeader, ",") {
			t.Fatalf("seção Onde as threads esperam malformada:\n%s", after)
		}
		group := regexp.MustCompile(`^\d+ [a-z_/0-9.]+( \([a-z_0-9.]+\))?$`)
		for i, l := range wl[3 : 3+len(stages)] {
			w := cols(l)
			if len(w) != len(WaitsHeader) || w[0] != stages[i].stage || w[1] != stages[i].server {
				t.Errorf("esperas, linha %d = %q, want %v", i, w, stages[i])
				continue
			}
			for g := range strings.SplitSeq(w[3], " · ") {
				if !group.MatchString(g) {
					t.Errorf("%s: grupo %q em %q fora do formato", stages[i].stage, g, w[3])
				}
			}
		}
	}

	md, err := os.ReadFile(filepath.Join(dir, "tabela.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"| etapa | servidor |", "| fila listen (pico Recv-Q/Send-Q) | SYN descartados | esperado |",
		"| RSS/conexão | pilha do kernel/conexão | CPU |", "KernelStack:", "| threads SO (pico) | onde as threads esperam | RSS pico |", "wait channel",
		"| 1.1 | serverbloq | 3 | 3 |", "retransmissões incluídas", "- Máquina: ",
		"go run ./cmd/roteiro -rapido -delay 300ms -etapas 1.1,1.2,2.1,3.3 -saida ",
		"- Etapa 1.2 (servergargalo): delay de 5s", "delay de 5s nesta etapa (o do laboratório), não 300ms"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("tabela.md sem %q:\n%s", w, md)
		}
	}
	if !regexp.MustCompile(`\n\| 1\.2 \| servergargalo \| .* \| [1-9]\d*/1 \| \d+ \| [✓✗] \|\n`).Match(md) {
		t.Errorf("tabela.md sem a fila da 1.2 (R/1 e SYN descartados antes de ✓):\n%s", md)
	}
	// A pilha do kernel por conexão (KernelStack de /proc/meminfo): só a
	// forma; o valor é da máquina inteira e testes em paralelo o movem
	// (com 10 clientes o modelo thread soma só ~160 KiB).
	kcol := slices.Index(MarkdownHeader(), colKStack)
	kval := regexp.MustCompile(`^\d+\.\d(KiB|MiB|GiB)$`)
	for _, want := range stages {
		prefix := "| " + want.stage + " | " + want.server + " |"
		found := false
		for l := range strings.Lines(string(md)) {
			if !strings.HasPrefix(l, prefix) {
				continue
			}
			found = true
			c := cols(strings.Trim(strings.TrimSpace(l), "|"))
			if len(c) != len(MarkdownHeader()) || !kval.MatchString(c[kcol]) {
				t.Errorf("tabela.md, %s: pilha do kernel/conexão = %q, queria um tamanho: %s", want.stage, c[min(kcol, len(c)-1)], l)
			}
			t.Logf("%s %s: pilha do kernel/conexão %s", want.stage, want.server, c[min(kcol, len(c)-1)])
		}
		if !found {
			t.Errorf("tabela.md sem a linha %q", prefix)
		}
	}
	for _, id := range []string{"1.1", "1.2", "2.1", "3.3"} {
		if _, err := os.Stat(filepath.Join(dir, "etapa-"+id+".svg")); err != nil {
			t.Errorf("linha do tempo da etapa %s: %v", id, err)
		}
	}
}

// TestBadFlags: opções inválidas saem com 2 e uma mensagem em português.
func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-etapas", "9.9"}, "etapa desconhecida"},
		{[]string{"-delay", "xyz"}, "duração inválida"},
		{[]string{"-escala", "-etapas", "1.1"}, "não se combina com -escala"},
		{[]string{"-escala", "-json", "x.json"}, "não se combina com -escala"},
		{[]string{"-servidor", "python3 s.py"}, "-servidor precisa de -etapas"},
		{[]string{"-etapas", "3.3", "-servidor", "python3 's.py"}, "aspas ' sem fechar"},
		{[]string{"-etapas", "3.3", "-servidor", "  "}, "comando vazio"},
		{[]string{"-porta", "5000"}, "só valem com -servidor"},
		{[]string{"-etapas", "3.3", "-servidor", "x", "-porta", "70000"}, "fora do intervalo"},
		{[]string{"-relatorio", "R.md", "-etapas", "1.1"}, "-relatorio só confere o relatório"},
		{[]string{"-nada"}, "opção desconhecida"},
		{[]string{"extra"}, "argumento inesperado"},
	} {
		_, stderr, code := e2e.Run(t, 30*time.Second, "roteiro", c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: código %d, stderr %q; queria 2 e uma linha com %q", c.args, code, stderr, c.want)
		}
	}
}
