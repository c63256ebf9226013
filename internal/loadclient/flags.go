package loadclient

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"roteiro2/internal/cli"
)

// Flags são as flags comuns aos dois clientes.
type Flags struct {
	Host           string
	Port           int
	N              int
	ConnectTimeout time.Duration
	ReplyTimeout   time.Duration
	AllowRemote    bool
	Quiet          bool
	SVG            string

	connect, reply *time.Duration
}

// RegisterFlags registra em flag.CommandLine as flags comuns, com os padrões
// do programa. O programa pode registrar outras antes de chamar Parse.
func RegisterFlags(defaultN int, defaultConnect, defaultReply time.Duration) *Flags {
	f := &Flags{}
	fs := flag.CommandLine
	fs.StringVar(&f.Host, "host", "127.0.0.1", "endereço IPv4 do servidor (só loopback, 127.0.0.0/8, sem -permitir-remoto)")
	fs.IntVar(&f.Port, "port", 65432, "porta TCP do servidor")
	fs.IntVar(&f.N, "n", defaultN, "quantos clientes disparar ao mesmo tempo")
	f.connect = cli.Duration(fs, "connect-timeout", defaultConnect,
		"prazo para ENTRAR: o connect() desiste se o servidor não completar o handshake a tempo (5, 2.5, 300ms...; 0 = sem prazo)")
	f.reply = cli.Duration(fs, "timeout", defaultReply,
		"prazo da RESPOSTA, contado a partir do connect: enviar a tarefa e receber a resposta inteira (0 = sem prazo)")
	fs.BoolVar(&f.AllowRemote, "permitir-remoto", false, "permite um -host fora do loopback (o roteiro proíbe atacar outras máquinas)")
	fs.BoolVar(&f.Quiet, "q", false, "silencioso: sem linhas por cliente; só uma linha de progresso (stderr) e o RESUMO")
	fs.StringVar(&f.SVG, "svg", "", "grava a linha do tempo da rodada neste arquivo SVG")
	return f
}

// Parse lê os argumentos e valida; termina com código 2 (cli.Usage) se algo
// estiver errado, ANTES de qualquer conexão.
func (f *Flags) Parse() {
	// As mensagens de erro do pacote flag são em inglês e vêm com a lista
	// inteira de opções; aqui o erro sai numa linha em português (código 2)
	// e a lista só aparece com -h.
	fs := flag.CommandLine
	fs.Init(fs.Name(), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := fs.Parse(os.Args[1:])
	fs.SetOutput(os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "Uso: %s [opções]\n", filepath.Base(fs.Name()))
		fs.PrintDefaults()
		os.Exit(0)
	}
	if err != nil {
		cli.Usage(translateFlagError(err))
	}
	if flag.NArg() > 0 {
		cli.Usage(fmt.Sprintf("argumento inesperado %q", flag.Arg(0)))
	}
	f.ConnectTimeout, f.ReplyTimeout = *f.connect, *f.reply
	if f.N < 1 {
		cli.Usage(fmt.Sprintf("-n %d: é preciso pelo menos 1 cliente", f.N))
	}
	if f.Port < 1 || f.Port > 65535 {
		cli.Usage(fmt.Sprintf("porta %d fora do intervalo 1–65535", f.Port))
	}
	cli.CheckLoopback(f.Host, f.AllowRemote)
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

// Addr é o destino como IP literal e porta ("localhost" já vira 127.0.0.1).
func (f *Flags) Addr() string {
	a, _ := cli.ParseIPv4(f.Host) // já validado em Parse
	return net.JoinHostPort(a.String(), strconv.Itoa(f.Port))
}

// Set diz se a flag name foi dada na linha de comando.
func Set(name string) bool {
	found := false
	flag.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}
