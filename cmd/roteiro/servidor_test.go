//go:build unix

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roteiro2/internal/e2e"
)

// testServer compila testdata/servidorteste (um servidor "de fora", em Go,
// com os modos thread, mudo, sai e surdo) e devolve o caminho.
func testServer(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "servidorteste")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", exe, "./testdata/servidorteste").CombinedOutput(); err != nil {
		t.Fatalf("go build servidorteste: %v\n%s", err, out)
	}
	return exe
}

// quote põe um caminho entre aspas simples para a linha de -servidor.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

var serverPid = regexp.MustCompile(`\(pid (\d+)[,)]`)

// noOrphans confere que cada servidor que o roteiro iniciou (o progresso e
// as mensagens de erro dizem "(pid N, ...)") já não existe; want é quantos
// o progresso deve citar.
func noOrphans(t *testing.T, stderr string, want int) {
	t.Helper()
	ms := serverPid.FindAllStringSubmatch(stderr, -1)
	if len(ms) != want {
		t.Errorf("%d pid(s) de servidor no progresso, queria %d:\n%s", len(ms), want, stderr)
	}
	for _, m := range ms {
		pid, _ := strconv.Atoi(m[1])
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("o servidor pid %d ainda existe depois do roteiro (kill 0: %v)", pid, err)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// tableRows lê as linhas da tabela principal (antes da primeira linha em branco).
func tableRows(t *testing.T, stdout string) [][]string {
	t.Helper()
	var rows [][]string
	lines := strings.Split(stdout, "\n")
	// A tabela começa no cabeçalho (com -exigir e uma etapa, a conclusão vem antes).
	for len(lines) > 0 && !strings.HasPrefix(lines[0], "etapa ") {
		lines = lines[1:]
	}
	for _, l := range lines[min(2, len(lines)):] {
		if strings.TrimSpace(l) == "" {
			break
		}
		f := strings.Split(l, " | ")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) != len(Header) {
			t.Fatalf("linha da tabela com %d colunas: %q", len(f), l)
		}
		rows = append(rows, f)
	}
	return rows
}

func linuxOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("threads e onde elas esperam vêm de /proc, e a prontidão sem conexão de teste do inet_diag: só no Linux")
	}
}

// Um servidor de fora com uma thread por conexão: cumpre a 2.1 ("threads
// cresceram") e não o Desafio ("threads NÃO ficaram planas"); o -json diz o
// mesmo que a tabela; -exigir muda só o código de saída; nenhum servidor
// sobra depois. (Com 200 clientes: com 10, o runtime do Go reaproveita as
// suas poucas threads ociosas e o crescimento fica perto da folga de um
// servidor "plano"; um servidor Python não tem isso.)
func TestServidorThread(t *testing.T) {
	linuxOnly(t)
	t.Parallel()
	srv := testServer(t)
	js := filepath.Join(t.TempDir(), "r.json")
	cmd := quote(srv) + " -modo thread -porta {porta} -delay {delay}"
	stdout, stderr, code := e2e.Run(t, 90*time.Second, "roteiro", "-rapido", "-etapas", "2.1-200,desafio", "-servidor", cmd, "-json", js)
	if code != 0 {
		t.Fatalf("sem -exigir o código é 0 (resultados são observações), veio %d\n%s%s", code, stdout, stderr)
	}
	noOrphans(t, stderr, 2)
	rows := tableRows(t, stdout)
	if len(rows) != 2 || rows[0][1] != "servidorteste -modo thread -porta -delay" || rows[0][len(Header)-1] != "✓" || rows[1][len(Header)-1] != "✗" {
		t.Fatalf("queria 2.1 ✓ e Desafio ✗ com o servidor de fora:\n%s%s", stdout, stderr)
	}
	for _, want := range []string{"✓ 2.1", "threads cresceram com as conexões", "✗ Desafio", "threads NÃO ficaram planas"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("saída sem %q:\n%s", want, stdout)
		}
	}

	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Servidor *string `json:"servidor"`
		OK       bool    `json:"ok"`
		DelayS   float64 `json:"delay_s"`
		Etapas   []struct {
			ID         string          `json:"id"`
			Clientes   int             `json:"clientes"`
			Rodou      bool            `json:"rodou"`
			OK         *bool           `json:"ok"`
			Esperado   string          `json:"esperado"`
			Resumo     *map[string]any `json:"resumo"`
			ThreadsPic *int            `json:"threads_pico"`
			CPU        *float64        `json:"cpu_s"`
			Trocas     *int            `json:"trocas_contexto"`
			Piso       bool            `json:"trocas_contexto_piso"`
			Esperas    map[string]int  `json:"esperas"`
			KStack     *int            `json:"pilha_kernel_por_conexao_bytes"`
		} `json:"etapas"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("-json não é JSON: %v\n%s", err, data)
	}
	if rep.Servidor == nil || *rep.Servidor != cmd || rep.OK || rep.DelayS != 1 || len(rep.Etapas) != 2 {
		t.Fatalf("cabeçalho do JSON: servidor %v, ok %v, delay %v, %d etapas\n%s", rep.Servidor, rep.OK, rep.DelayS, len(rep.Etapas), data)
	}
	col := map[string]int{}
	for i, h := range Header {
		col[h] = i
	}
	for i, e := range rep.Etapas {
		row := rows[i]
		if e.ID != []string{"2.1-200", "desafio"}[i] || !e.Rodou || e.OK == nil || e.Esperado != row[col["esperado"]] ||
			*e.OK != (row[col["esperado"]] == "✓") || e.Resumo == nil {
			t.Errorf("JSON %s não bate com a tabela %q: %+v", e.ID, row, e)
			continue
		}
		if got := fmt.Sprint((*e.Resumo)["sucesso"]); got != row[col["sucesso"]] {
			t.Errorf("%s: sucesso %s no JSON, %s na tabela", e.ID, got, row[col["sucesso"]])
		}
		if e.ThreadsPic == nil || !strings.HasPrefix(row[col["threads SO (pico)"]], strconv.Itoa(*e.ThreadsPic)+" ") {
			t.Errorf("%s: threads_pico %v no JSON, %q na tabela", e.ID, e.ThreadsPic, row[col["threads SO (pico)"]])
		}
		// Sem [RESUMO SERVIDOR]: CPU e trocas vêm do /proc, as trocas como piso.
		if e.CPU == nil || e.Trocas == nil || !e.Piso || row[col["trocas de contexto"]] != "≥"+strconv.Itoa(*e.Trocas) {
			t.Errorf("%s: CPU %v, trocas %v (piso %v), tabela %q", e.ID, e.CPU, e.Trocas, e.Piso, row[col["trocas de contexto"]])
		}
		// Cada conexão dorme no kernel numa thread sua: a amostra que fica
		// é a com mais threads em nanosleep.
		if n := e.Esperas["hrtimer_nanosleep"]; n < e.Clientes/2 {
			t.Errorf("%s: %d threads em hrtimer_nanosleep com %d clientes: %v", e.ID, n, e.Clientes, e.Esperas)
		}
	}

	// -exigir: o mesmo Desafio reprovado vira código 1; a 2.1 sozinha, 0.
	_, stderr, code = e2e.Run(t, 60*time.Second, "roteiro", "-rapido", "-exigir", "-etapas", "desafio", "-servidor", cmd)
	if code != 1 || !strings.Contains(stderr, "-exigir: desafio: ✗") {
		t.Errorf("-exigir com Desafio ✗: código %d\n%s", code, stderr)
	}
	noOrphans(t, stderr, 1)
	_, stderr, code = e2e.Run(t, 60*time.Second, "roteiro", "-rapido", "-exigir", "-etapas", "2.1-200", "-servidor", cmd)
	if code != 0 {
		t.Errorf("-exigir com 2.1 ✓: código %d\n%s", code, stderr)
	}
	noOrphans(t, stderr, 1)
}

// Um servidor que aceita e nunca responde: os clientes esgotam o prazo da
// resposta, a etapa é ✗; morrer pelo SIGTERM no fim não é "servidor falhou".
func TestServidorMudo(t *testing.T) {
	linuxOnly(t)
	t.Parallel()
	cmd := quote(testServer(t)) + " -modo mudo -porta {porta}"
	for _, exigir := range []bool{false, true} {
		args := []string{"-rapido", "-delay", "300ms", "-etapas", "3.3", "-servidor", cmd}
		if exigir {
			args = append(args, "-exigir")
		}
		stdout, stderr, code := e2e.Run(t, 60*time.Second, "roteiro", args...)
		want := map[bool]int{false: 0, true: 1}[exigir]
		if code != want {
			t.Errorf("-exigir=%v: código %d, queria %d\n%s%s", exigir, code, want, stdout, stderr)
		}
		rows := tableRows(t, stdout)
		if len(rows) != 1 || rows[0][3] != "0" || rows[0][5] != "10" || rows[0][len(Header)-1] != "✗" {
			t.Errorf("queria 0 sucesso, 10 timeouts de resposta, ✗:\n%s", stdout)
		}
		if strings.Contains(stdout, "servidor saiu com código") || strings.Contains(stdout, "não saiu com SIGTERM") {
			t.Errorf("morrer pelo SIGTERM não é falha do servidor:\n%s", stdout)
		}
		// Com -exigir e uma etapa (a correção automática), a conclusão e o
		// motivo são a primeira linha, e as legendas ficam no -h; sem ele, a
		// rodada mostra as legendas.
		first, _, _ := strings.Cut(stdout, "\n")
		legend := strings.Contains(stdout, "Cada thread do servidor agrupada") && strings.Contains(stdout, "Recv-Q: conexões com o handshake")
		if exigir && (!strings.HasPrefix(first, "✗ 3.3") || !strings.Contains(first, "0/10 sucesso (10 sem resposta no prazo)") || legend) {
			t.Errorf("-exigir com uma etapa: primeira linha %q, legenda %v\n%s", first, legend, stdout)
		}
		if !exigir && (strings.HasPrefix(first, "✗") || !legend) {
			t.Errorf("sem -exigir: primeira linha %q, legenda %v", first, legend)
		}
		if !strings.Contains(stderr, "etapa 3.3") {
			t.Errorf("o progresso sumiu:\n%s", stderr)
		}
		noOrphans(t, stderr, 1)
	}
}

// Comando que não existe, que sai na hora, que nunca escuta, porta ocupada:
// uma mensagem clara, código 1, nada sobrando. Sem {porta}, -porta é usada.
func TestServidorErrors(t *testing.T) {
	linuxOnly(t)
	t.Parallel()
	srv := quote(testServer(t))
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	free := strconv.Itoa(e2e.FreePort(t))
	for _, c := range []struct {
		name    string
		args    []string
		want    string
		servers int
	}{
		{"não existe", []string{"-servidor", "nao-existe-no-path-xyz {porta}"}, `não achei o programa "nao-existe-no-path-xyz": não está em nenhuma pasta do PATH`, 0},
		{"script sem python3", []string{"-servidor", "naoexiste.py"}, `não achei o programa "naoexiste.py": não está em nenhuma pasta do PATH (um script Python roda com o python3 na frente: -servidor 'python3 naoexiste.py')`, 0},
		{"sai na hora", []string{"-servidor", srv + " -modo sai -porta {porta}"}, "código 3): saindo sem escutar", 1},
		{"nunca escuta", []string{"-prazo-servidor", "1s", "-servidor", srv + " -modo surdo -porta {porta}"},
			"não escutou em 127.0.0.1:", 1},
		{"porta ocupada", []string{"-porta", busyPort, "-servidor", srv + " -modo thread -porta " + busyPort},
			"a porta " + busyPort + " (-porta) está em uso por outro programa", 0},
	} {
		args := append([]string{"-rapido", "-etapas", "3.3"}, c.args...)
		start := time.Now()
		stdout, stderr, code := e2e.Run(t, 60*time.Second, "roteiro", args...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: código %d, queria 1 e %q em:\n%s%s", c.name, code, c.want, stdout, stderr)
		}
		if strings.Contains(stderr, "not found") || strings.Contains(stderr, "exec:") {
			t.Errorf("%s: inglês na mensagem: %s", c.name, stderr)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("%s: levou %v", c.name, d)
		}
		noOrphans(t, stderr, c.servers)
	}
	// Sem {porta}: o comando escuta na porta de -porta, que o roteiro
	// conferiu estar livre; {delay} ausente e -delay dado: é o delay dele.
	stdout, stderr, code := e2e.Run(t, 60*time.Second, "roteiro", "-delay", "500ms", "-etapas", "2.1",
		"-porta", free, "-servidor", srv+" -modo thread -delay 0.5 -porta "+free)
	if code != 0 || !strings.Contains(stderr, "porta "+free+")") || !strings.Contains(stdout, "✓ 2.1") {
		t.Errorf("-porta %s sem {porta}: código %d\n%s%s", free, code, stdout, stderr)
	}
	noOrphans(t, stderr, 1)
}

// splitCommand: aspas e barras como num shell, sem shell.
func TestSplitCommand(t *testing.T) {
	for _, c := range []struct {
		in   string
		bs   bool
		want []string
	}{
		{"python3 server_async.py", true, []string{"python3", "server_async.py"}},
		{"  python3   'meu servidor.py'  {porta} ", true, []string{"python3", "meu servidor.py", "{porta}"}},
		{`python3 "dir com espaço/s.py" a\ b`, true, []string{"python3", "dir com espaço/s.py", "a b"}},
		{`echo "a\"b" 'c\d' "e\f" ''`, true, []string{"echo", `a"b`, `c\d`, `e\f`, ""}},
		{`x a"b"'c'`, true, []string{"x", "abc"}},
		{`python C:\aluno\srv.py`, false, []string{"python", `C:\aluno\srv.py`}},
		// \<nova linha> é continuação de linha, como no sh: some, e a
		// indentação seguinte só separa palavras.
		{"python3 \\\n  srv.py", true, []string{"python3", "srv.py"}},
		{"python3\\\n srv.py \\\n", true, []string{"python3", "srv.py"}},
		{"a\\\nb \"c\\\nd\"", true, []string{"ab", "cd"}},
		{"\\\n", true, nil},
		{"", true, nil},
	} {
		got, err := splitCommand(c.in, c.bs)
		if err != nil || strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("splitCommand(%q) = %q, %v; queria %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`python3 "x`, `python3 'x`, `python3 x\`} {
		if got, err := splitCommand(bad, true); err == nil {
			t.Errorf("splitCommand(%q) = %q, queria erro", bad, got)
		}
	}
	f, err := newForeign("/usr/bin/python3 /home/aluno/lab/server_async.py {porta} --delay={delay}", 65432, time.Second)
	if err != nil || !f.hasPort || !f.hasDelay || f.name() != "python3 server_async.py" {
		t.Errorf("newForeign: %+v, %v, nome %q", f, err, f.name())
	}
	if s := seconds(1500 * time.Millisecond); s != "1.5" || seconds(5*time.Second) != "5" {
		t.Errorf("seconds: %q", s)
	}
}
