package main

// -servidor 'CMD': o servidor de cada etapa é um programa de fora (o
// server_async.py de um aluno, por exemplo) no lugar dos deste projeto. O
// roteiro o inicia como processo filho, espera a porta escutar, mede o
// processo pelo /proc (não há [RESUMO SERVIDOR]), dispara o mesmo cliente,
// aplica o mesmo veredicto e o para com SIGTERM (no Windows, CTRL_BREAK_EVENT;
// depois de um prazo, mata).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"roteiro2/internal/tcpstat"
)

// foreign é o servidor dado por -servidor.
type foreign struct {
	text     string   // o comando como foi dado (mensagens)
	argv     []string // separado como um shell faria, {porta} e {delay} ainda por trocar
	hasPort  bool     // argv tem {porta}: o roteiro escolhe uma porta livre por etapa
	hasDelay bool     // argv tem {delay}
	port     int      // -porta: a porta fixa quando não há {porta}
	ready    time.Duration
}

// newForeign interpreta o texto de -servidor (erro = uso errado).
func newForeign(text string, port int, ready time.Duration) (*foreign, error) {
	argv, err := splitCommand(text, runtime.GOOS != "windows")
	if err != nil {
		return nil, fmt.Errorf("-servidor: %v", err)
	}
	if len(argv) == 0 {
		return nil, errors.New("-servidor: comando vazio")
	}
	f := &foreign{text: text, argv: argv, port: port, ready: ready}
	for _, a := range argv {
		f.hasPort = f.hasPort || strings.Contains(a, "{porta}")
		f.hasDelay = f.hasDelay || strings.Contains(a, "{delay}")
	}
	return f, nil
}

// name é a coluna "servidor": o comando sem {porta}/{delay} e sem as pastas
// ("python3 server_async.py"), encurtado se ainda for comprido.
func (f *foreign) name() string {
	var words []string
	for _, a := range f.argv {
		if !strings.Contains(a, "{porta}") && !strings.Contains(a, "{delay}") {
			words = append(words, filepath.Base(a))
		}
	}
	s := strings.Join(words, " ")
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:39]) + "…"
	}
	return s
}

// lookPath confere que o programa existe, antes de compilar e rodar qualquer coisa.
func (f *foreign) lookPath() error {
	if _, err := exec.LookPath(f.argv[0]); err != nil {
		hint := ""
		if strings.HasSuffix(f.argv[0], ".py") {
			hint = fmt.Sprintf(" (um script Python roda com o python3 na frente: -servidor 'python3 %s')", f.text)
		}
		return fmt.Errorf("-servidor: não achei o programa %q: %s%s", f.argv[0], errText(err), hint)
	}
	return nil
}

// delayFor é o delay de uma etapa com este servidor: com {delay} no
// comando, o do roteiro (stageDelay); sem ele o roteiro não tem como mudar
// o sleep do servidor e supõe o dos scripts, 5 s (ou o -delay dado).
func (f *foreign) delayFor(st stageDef, asked time.Duration, askedSet bool) (time.Duration, string) {
	switch {
	case f.hasDelay:
		return stageDelay(st, asked)
	case askedSet:
		return asked, ""
	}
	return labDelay, fmt.Sprintf("delay de %v: o comando não tem {delay}, então o roteiro supõe o sleep(5) dos scripts "+
		"(diga outro com -delay)", labDelay)
}

// seconds escreve d em segundos, sem unidade: 1, 0.5, 5.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

// start inicia o servidor para uma etapa e espera a porta escutar. r
// recebe as observações sobre como ele foi iniciado.
func (f *foreign) start(ctx context.Context, delay time.Duration, r *Row) (*serverRun, error) {
	port := f.port
	if f.hasPort {
		p, err := freePort()
		if err != nil {
			return nil, errCouldNotRun{"-servidor: não achei uma porta livre: " + err.Error()}
		}
		port = p
	} else if err := f.claim(ctx, port, r); err != nil {
		return nil, err
	}
	argv := make([]string, len(f.argv))
	for i, a := range f.argv {
		a = strings.ReplaceAll(a, "{porta}", strconv.Itoa(port))
		argv[i] = strings.ReplaceAll(a, "{delay}", seconds(delay))
	}
	c, err := f.launch(ctx, argv)
	if err != nil {
		return nil, err
	}
	err = f.waitListening(c, port, delay, r)
	if errors.Is(err, errExitedEarly) && !f.hasPort && listenable(port, false) != nil {
		// Conexões recentes da porta (TIME_WAIT) impedem o bind sem
		// SO_REUSEADDR; um servidor assim (o server.py) sai na hora. Não dá
		// para saber se foi isso: o texto diz o que se viu.
		why := fmt.Sprintf("o servidor saiu na hora (código %d: %s) e %s, o que impede o bind de um servidor sem SO_REUSEADDR",
			c.exitCode(), tail(c.out.String(), 120), portHeld(port))
		progress("  (%s; esperando até 70 s a porta liberar e iniciando de novo)", why)
		t0 := time.Now()
		waitPort(ctx, port, false)
		r.Adjust = append(r.Adjust, fmt.Sprintf("%s: o roteiro esperou %.0fs e o iniciou de novo (ponha {porta} no comando para não esperar)",
			why, time.Since(t0).Seconds()))
		if c, err = f.launch(ctx, argv); err != nil {
			return nil, err
		}
		err = f.waitListening(c, port, delay, r)
	}
	if err != nil {
		c.stop(2 * time.Second)
		return nil, errCouldNotRun{err.Error() + ": " + tail(c.out.String(), 400)}
	}
	progress("  servidor: %s (pid %d, porta %d)", strings.Join(argv, " "), c.Pid(), port)
	time.Sleep(200 * time.Millisecond) // repouso antes da amostra "ociosa", como nos nossos
	return &serverRun{c: c, port: port, sampler: startSampler(c.Pid()), foreign: true}, nil
}

// launch inicia o processo. PYTHONUNBUFFERED: um print do Python com a saída
// num pipe fica no buffer e se perde se o processo morrer pelo SIGTERM; assim
// o que o servidor imprimiu aparece nas mensagens de erro.
func (f *foreign) launch(ctx context.Context, argv []string) (*child, error) {
	c, err := startChildEnv(ctx, f.name(), argv[0], argv[1:], []string{"PYTHONUNBUFFERED=1"})
	if err != nil {
		return nil, errCouldNotRun{fmt.Sprintf("-servidor: não consegui iniciar %s: %s", argv[0], errText(err))}
	}
	return c, nil
}

var errExitedEarly = errors.New("o servidor terminou antes de escutar")

// waitListening espera a porta escutar (até f.ready). No Linux olha a
// tabela de sockets do kernel (inet_diag, via tcpstat), sem conectar: uma
// conexão de teste seria um cliente a mais para o servidor (o
// servergargalo.py dormiria 5 s com ela). Nos outros sistemas não há como
// ver sem conectar: uma conexão de teste, que o servidor atende antes dos
// clientes (probe).
func (f *foreign) waitListening(c *child, port int, delay time.Duration, r *Row) error {
	see := canSeeListeners()
	deadline := time.Now().Add(f.ready)
	for {
		if c.exited() {
			return fmt.Errorf("%w (pid %d, código %d)", errExitedEarly, c.Pid(), c.exitCode())
		}
		if see {
			if q, err := tcpstat.ListenQueue(port); err == nil && q.RecvQ >= 0 {
				return nil
			}
		} else if ok, note := probe(port, delay); ok {
			r.Adjust = append(r.Adjust, note)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("o servidor (pid %d) não escutou em 127.0.0.1:%d em %v (a porta do comando é essa? use {porta} ou -porta)", c.Pid(), port, f.ready)
		}
		select {
		case <-c.done:
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// canSeeListeners diz se tcpstat.ListenQueue funciona aqui: pergunta pela
// porta de um socket de escuta do próprio roteiro.
func canSeeListeners() bool {
	if runtime.GOOS != "linux" {
		return false
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return false
	}
	defer ln.Close()
	q, err := tcpstat.ListenQueue(ln.Addr().(*net.TCPAddr).Port)
	return err == nil && q.RecvQ >= 0
}

// probe é a conexão de teste de fora do Linux: conecta, fecha o lado de
// escrita sem enviar nada e espera o servidor fechar (até delay + 5 s), para
// que um servidor sequencial termine com ela antes de os clientes chegarem.
func probe(port int, delay time.Duration) (bool, string) {
	c, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false, ""
	}
	defer c.Close()
	t0 := time.Now()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_ = c.SetReadDeadline(time.Now().Add(delay + 5*time.Second))
	_, _ = io.Copy(io.Discard, c)
	return true, fmt.Sprintf("prontidão vista com uma conexão de teste (fora do Linux não há como ver a porta sem conectar): "+
		"o servidor recebeu uma conexão vazia antes dos clientes, e o roteiro esperou %.1fs até ele fechá-la", time.Since(t0).Seconds())
}

// freePort pede ao kernel uma porta livre do loopback. Outro programa pode
// tomá-la antes do servidor; o roteiro então diz que ele não escutou.
func freePort() (int, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// listenable tenta escutar em 127.0.0.1:port e fecha logo. Com reuse, como
// o Go faz (SO_REUSEADDR), só um socket escutando ocupa a porta; sem reuse,
// como um servidor Python simples, conexões recentes em TIME_WAIT também.
func listenable(port int, reuse bool) error {
	lc := net.ListenConfig{}
	if !reuse {
		lc.Control = noReuseAddr
	}
	ln, err := lc.Listen(context.Background(), "tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return ln.Close()
}

// claim confere a porta fixa (-porta) antes de iniciar o servidor: se outro
// programa escuta nela, é erro; se só conexões antigas a prendem (TIME_WAIT
// da etapa anterior, de um servidor sem SO_REUSEADDR: nem quem usa
// SO_REUSEADDR consegue o bind), espera elas irem embora.
func (f *foreign) claim(ctx context.Context, port int, r *Row) error {
	if listenable(port, true) == nil {
		return nil
	}
	if listening(port) {
		return errCouldNotRun{fmt.Sprintf("-servidor: a porta %d (-porta) está em uso por outro programa: "+
			"pare-o, escolha outra com -porta ou ponha {porta} no comando", port)}
	}
	why := portHeld(port) + ", deixadas por um servidor sem SO_REUSEADDR (nesta rodada ou antes dela): nenhum servidor consegue o bind, " +
		"nem com SO_REUSEADDR, até elas expirarem (60 s no Linux)"
	progress("  (%s; esperando até 70 s)", why)
	t0 := time.Now()
	if !waitPort(ctx, port, true) {
		return errCouldNotRun{fmt.Sprintf("-servidor: a porta %d continuou presa por 70 s (%s)", port, portHeld(port))}
	}
	r.Adjust = append(r.Adjust, fmt.Sprintf("o roteiro esperou %.0fs: %s (ponha {porta} no comando para não esperar)", time.Since(t0).Seconds(), why))
	return nil
}

// portHeld diz o que prende a porta fixa: as conexões dela em TIME_WAIT (as
// que o servidor fechou primeiro, nos últimos 60 s), contadas no Linux.
func portHeld(port int) string {
	if n, err := tcpstat.TimeWait(port); err == nil && n > 0 {
		return fmt.Sprintf("a porta %d tem %d conexão(ões) em TIME_WAIT", port, n)
	} else if err == nil {
		return fmt.Sprintf("a porta %d tem conexões recentes ainda fechando", port)
	}
	return fmt.Sprintf("a porta %d tem conexões recentes em TIME_WAIT", port)
}

// waitPort espera até 70 s a porta aceitar um bind (com ou sem
// SO_REUSEADDR). TIME_WAIT dura 60 s no Linux.
func waitPort(ctx context.Context, port int, reuse bool) bool {
	deadline := time.Now().Add(70 * time.Second)
	for listenable(port, reuse) != nil {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(500 * time.Millisecond)
	}
	return true
}

// listening diz se algum programa escuta em 127.0.0.1:port: no Linux pela
// tabela de sockets; nos outros sistemas conectando (e fechando na hora).
func listening(port int) bool {
	if canSeeListeners() {
		_, err := tcpstat.ListenQueue(port)
		return err == nil
	}
	c, err := net.DialTimeout("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// splitCommand separa um comando em palavras como um shell POSIX faria, sem
// rodar shell nenhum: espaços separam; '...' é literal; "..." junta, e lá
// dentro \ só escapa \ " $ `; fora das aspas \ escapa o caractere seguinte.
// Sem backslash (Windows), \ é um caractere comum, para caminhos como
// C:\aluno\server.py. Variáveis, * e ~ não são expandidos.
func splitCommand(s string, backslash bool) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // há uma palavra em andamento (mesmo vazia: "")
		quote rune // 0, '\'' ou '"'
		esc   bool
	)
	for _, ch := range s {
		switch {
		case esc: // \<nova linha> some; dentro de "..." só \ " $ ` perdem a \
			esc = false
			if quote == '"' && !strings.ContainsRune("\\\"$`\n", ch) {
				cur.WriteRune('\\')
			}
			if ch != '\n' { // a continuação de linha não começa palavra nenhuma
				cur.WriteRune(ch)
				in = true
			}
		case quote == '\'':
			if ch == '\'' {
				quote = 0
			} else {
				cur.WriteRune(ch)
			}
		case quote == '"':
			switch {
			case ch == '"':
				quote = 0
			case ch == '\\' && backslash:
				esc = true
			default:
				cur.WriteRune(ch)
			}
		case ch == '\'' || ch == '"':
			quote, in = ch, true
		case ch == '\\' && backslash:
			esc = true
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(ch)
			in = true
		}
	}
	switch {
	case esc:
		return nil, errors.New("o comando termina com \\ sozinha")
	case quote != 0:
		return nil, fmt.Errorf("aspas %c sem fechar", quote)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// foreignExitOK diz se o servidor de fora saiu bem depois do pedido de
// parada: código 0 ou morto pelo próprio pedido (o padrão de um programa
// Python que não o trata: SIGTERM no Unix, STATUS_CONTROL_C_EXIT no
// Windows).
func foreignExitOK(c *child) bool {
	return c.exitCode() == 0 || c.killedByTerm()
}
