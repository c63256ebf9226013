// Package cli reúne o que todos os programas do laboratório têm em comum na
// linha de comando: as flags dos servidores, a flag de duração que aceita
// "5" (segundos, como um aluno digitaria) ou "300ms" (como o Go escreve), de
// 0 a 24h, a verificação de que os clientes só atacam o loopback e as
// mensagens de erro em português com o código de saída certo (2 para uso
// errado, 1 para erro em tempo de execução).
//
// Este pacote não importa "net": o server_async usa-o e não pode depender da
// maquinaria de rede do Go (veja internal/reactor).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// Códigos de saída usados por todos os programas.
const (
	ExitRuntime = 1 // erro em tempo de execução (porta em uso, permissão...)
	ExitUsage   = 2 // flag inválida ou combinação proibida
)

// Usage escreve "prog: msg" em stderr e termina com ExitUsage.
func Usage(msg string) {
	fmt.Fprintf(os.Stderr, "%s: %s (use -h para ver as opções)\n", prog(), msg)
	os.Exit(ExitUsage)
}

// Fatal escreve "prog: msg" em stderr e termina com ExitRuntime.
func Fatal(msg string) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", prog(), msg)
	os.Exit(ExitRuntime)
}

func prog() string {
	name := os.Args[0]
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSuffix(name, ".exe")
}

// MaxDuration é o maior valor aceito por uma flag de duração: nenhuma etapa
// do laboratório precisa de mais que um dia, e um limite finito impede que
// uma conta com a duração (delay + 1s, agora + delay) dê a volta no int64.
const (
	MaxDuration = 24 * time.Hour
	maxText     = "24h" // MaxDuration como um aluno escreveria
)

// durationValue é uma flag.Value que aceita tanto "5" ou "2.5" (segundos)
// quanto qualquer duração do Go ("300ms", "1m"), de 0 a MaxDuration.
type durationValue time.Duration

func (d *durationValue) String() string {
	if *d < 0 { // só o -grace usa um padrão negativo: "calcule a partir do delay"
		return "delay + 1s"
	}
	return time.Duration(*d).String()
}

func (d *durationValue) Set(s string) error {
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

// ParseDuration interpreta "5" e "2.5" como segundos e "300ms" como o Go
// faz, e só aceita de 0 a MaxDuration. O número em segundos é conferido
// ANTES de virar time.Duration: converter para inteiro um float fora do
// alcance (inf, NaN, 1e10 s) dá um valor que depende do processador (no
// amd64, um negativo enorme; no arm64, o máximo ou 0).
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if f, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case math.IsNaN(f):
			return 0, fmt.Errorf("duração inválida %q (exemplos: 5, 2.5, 300ms, 1m)", s)
		case f < 0:
			return 0, fmt.Errorf("duração negativa %q não faz sentido", s)
		case f > MaxDuration.Seconds(): // inclui inf e 1e400
			return 0, fmt.Errorf("duração %q longa demais: o máximo é %s", s, maxText)
		}
		d = time.Duration(f * float64(time.Second))
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil { // também o que não cabe num int64
			return 0, fmt.Errorf("duração inválida %q (exemplos: 5, 2.5, 300ms, 1m; máximo %s)", s, maxText)
		}
	}
	switch {
	case d < 0:
		return 0, fmt.Errorf("duração negativa %q não faz sentido", s)
	case d > MaxDuration:
		return 0, fmt.Errorf("duração %q longa demais: o máximo é %s", s, maxText)
	}
	return d, nil
}

// Duration registra em fs uma flag de duração no formato de ParseDuration.
func Duration(fs *flag.FlagSet, name string, def time.Duration, usage string) *time.Duration {
	d := new(time.Duration)
	*d = def
	fs.Var((*durationValue)(d), name, usage)
	return d
}

// Server são as flags comuns aos quatro servidores.
type Server struct {
	Host    string
	Port    int
	Delay   time.Duration // o sleep(5) dos originais
	Backlog int           // o argumento de listen(2)
	Idle    time.Duration // -ocioso: fecha quem conecta e não envia nada
	Grace   time.Duration // -grace: prazo para terminar as conexões ao receber SIGINT/SIGTERM
	Quiet   bool          // -q: sem uma linha por conexão

	delay, idle, grace *time.Duration // valores das flags, copiados em Parse
}

// graceUnset marca "-grace não informado": o padrão é delay + 1s.
const graceUnset = -1

// ServerFlags registra as flags comuns em flag.CommandLine, com o backlog
// padrão do programa (o mesmo valor que o original Python passa a listen).
func ServerFlags(defaultBacklog int) *Server {
	s := &Server{}
	fs := flag.CommandLine
	fs.StringVar(&s.Host, "host", "127.0.0.1", "endereço IPv4 onde o servidor escuta")
	fs.IntVar(&s.Port, "port", 65432, "porta TCP (0 = o sistema escolhe uma livre; a linha de início mostra qual)")
	s.delay = Duration(fs, "delay", 5*time.Second, "tempo de \"processamento\" de cada pedido, o sleep(5) do original (5, 2.5, 300ms...)")
	fs.IntVar(&s.Backlog, "backlog", defaultBacklog, "tamanho da fila de conexões completas passado a listen(2)")
	s.idle = Duration(fs, "ocioso", 30*time.Second, "fecha a conexão de quem conecta e não envia nada por este tempo (0 = nunca)")
	s.grace = Duration(fs, "grace", graceUnset, "ao receber SIGINT/SIGTERM, prazo para as conexões em andamento terminarem")
	fs.BoolVar(&s.Quiet, "q", false, "silencioso: sem linhas por conexão, só início e resumo (para cargas grandes)")
	return s
}

// Parse lê os argumentos, valida e termina com ExitUsage se algo estiver errado.
func (s *Server) Parse() {
	ParseCommandLine("Servidor TCP do Roteiro 2. Ctrl-C (SIGINT) ou SIGTERM: para de aceitar, espera as\n" +
		"conexões em andamento (-grace), imprime a linha [RESUMO SERVIDOR] e sai com 0. Um segundo\n" +
		"Ctrl-C durante a espera termina o servidor na hora, sem resumo.")
	s.Delay, s.Idle, s.Grace = *s.delay, *s.idle, *s.grace
	if s.Grace == graceUnset {
		s.Grace = s.Delay + time.Second
	}
	if s.Port < 0 || s.Port > 65535 {
		Usage(fmt.Sprintf("porta %d fora do intervalo 0–65535", s.Port))
	}
	if s.Backlog < 0 {
		Usage(fmt.Sprintf("backlog %d negativo", s.Backlog))
	}
	if _, err := ParseIPv4(s.Host); err != nil {
		Usage(err.Error())
	}
}

// ParseCommandLine lê os argumentos em flag.CommandLine. As mensagens do
// pacote flag são em inglês e vêm com a lista inteira de opções; aqui um
// erro sai numa linha em português (código 2) e a lista só aparece com -h,
// precedida de about.
func ParseCommandLine(about string) {
	fs := flag.CommandLine
	fs.Init(fs.Name(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := fs.Parse(os.Args[1:])
	fs.SetOutput(os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "Uso: %s [opções]\n\n%s\n\nOpções:\n", prog(), about)
		fs.PrintDefaults()
		os.Exit(0)
	}
	if err != nil {
		Usage(translateFlagError(err))
	}
	if fs.NArg() > 0 {
		Usage(fmt.Sprintf("argumento inesperado %q", fs.Arg(0)))
	}
}

// translateFlagError põe em português as mensagens do pacote flag.
func translateFlagError(err error) string {
	msg := err.Error()
	for _, t := range [...][2]string{
		{"flag provided but not defined: ", "opção desconhecida "},
		{"flag needs an argument: ", "falta o valor da opção "},
		{"invalid value ", "valor inválido "},
		{"invalid boolean value ", "valor booleano inválido "},
		{" for flag ", " para "},
		{"parse error", "não é um número"},
	} {
		msg = strings.ReplaceAll(msg, t[0], t[1])
	}
	return msg
}

// Addr devolve "host:porta".
func (s *Server) Addr() string { return fmt.Sprintf("%s:%d", s.Host, s.Port) }

// ParseIPv4 aceita um endereço IPv4 ou "localhost" (os originais usam AF_INET).
func ParseIPv4(host string) (netip.Addr, error) {
	if host == "localhost" {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil || !a.Is4() {
		return netip.Addr{}, fmt.Errorf("endereço %q inválido: use um IPv4 como 127.0.0.1", host)
	}
	return a, nil
}

// CheckLoopback recusa (ExitUsage, sem tentar conexão) um alvo fora de
// 127.0.0.0/8, a menos que o usuário tenha dito -permitir-remoto: o roteiro
// proíbe apontar a carga para qualquer coisa além do localhost.
func CheckLoopback(host string, allowRemote bool) {
	a, err := ParseIPv4(host)
	if err != nil {
		Usage(err.Error())
	}
	if !a.IsLoopback() && !allowRemote {
		Usage(fmt.Sprintf("o alvo %s não é loopback (127.0.0.0/8); o roteiro proíbe atacar outras máquinas. "+
			"Se for mesmo sua máquina de testes, use -permitir-remoto", host))
	}
}
